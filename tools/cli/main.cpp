#include "commands.hpp"

int main(int argc, char** argv) { return marina::cli::run(argc, argv); }
