#pragma once
// ASCII case folding: what protocol text (host names, header names, URL
// schemes, hex, configuration words) means by "case-insensitive". Bytes
// outside A-Z are kept as they are, so UTF-8 passes through untouched and
// the result never depends on the process locale (std::tolower's does).
#include <string>
#include <string_view>

namespace marina::core {

constexpr char ascii_lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// `s` with A-Z lowered.
std::string ascii_lower(std::string_view s);

// Equal but for the case of A-Z.
bool ascii_iequals(std::string_view a, std::string_view b) noexcept;

}  // namespace marina::core
