#pragma once
// Whether a text is a UUID as PostgreSQL's uuid type prints it
// (8-4-4-4-12 hex digits, either case). Routes check ids with it first, so a
// malformed id is simply "not found" and never a database cast error.
#include <string_view>

namespace marina::core {

bool is_uuid(std::string_view text) noexcept;

}  // namespace marina::core
