#pragma once
// What a caught exception says, for a log line, whatever its type.
#include <exception>
#include <string>

namespace marina::core {

// what() of a std::exception, "unknown error" for anything else.
std::string describe(const std::exception_ptr& error);

}  // namespace marina::core
