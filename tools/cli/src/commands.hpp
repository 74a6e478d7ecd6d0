#pragma once
// The `marina` command: every subcommand, its usage, and the exit codes
//   0 success, 1 the API refused or could not be reached, 2 a usage mistake.
namespace marina::cli {

int run(int argc, char** argv);

}  // namespace marina::cli
