#pragma once
// Structured logging: one JSON object per line on stdout with ts, level,
// service, msg and the caller's fields.
//
// Secrets never reach the log: a field whose name looks like a credential
// (authorization, token, secret, password, nsec, sig, passport, key) is
// written as "[redacted]" whatever its value, and a value wrapped in
// Redacted{} is always hidden.
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

namespace marina::log {

enum class Level { debug = 0, info = 1, warn = 2, error = 3 };

struct Redacted {
  std::string_view value;
};

using Value = std::variant<std::string_view, std::int64_t, std::uint64_t, double, bool, Redacted>;

struct Field {
  std::string_view name;
  Value value;
  Field(std::string_view n, std::string_view v) : name(n), value(v) {}
  Field(std::string_view n, const std::string& v) : name(n), value(std::string_view(v)) {}
  Field(std::string_view n, const char* v) : name(n), value(std::string_view(v)) {}
  Field(std::string_view n, bool v) : name(n), value(v) {}
  Field(std::string_view n, double v) : name(n), value(v) {}
  Field(std::string_view n, Redacted v) : name(n), value(v) {}
  template <typename I>
    requires std::is_integral_v<I> && std::is_signed_v<I>
  Field(std::string_view n, I v) : name(n), value(static_cast<std::int64_t>(v)) {}
  template <typename I>
    requires std::is_integral_v<I> && std::is_unsigned_v<I> && (!std::is_same_v<I, bool>)
  Field(std::string_view n, I v) : name(n), value(static_cast<std::uint64_t>(v)) {}
};

using Fields = std::initializer_list<Field>;

// Set once at start by the service bootstrap.
void init(std::string service, Level min_level);
bool parse_level(std::string_view text, Level& out);
bool enabled(Level level);

void write(Level level, std::string_view msg, Fields fields = {});

inline void debug(std::string_view msg, Fields f = {}) { if (enabled(Level::debug)) write(Level::debug, msg, f); }
inline void info(std::string_view msg, Fields f = {}) { if (enabled(Level::info)) write(Level::info, msg, f); }
inline void warn(std::string_view msg, Fields f = {}) { if (enabled(Level::warn)) write(Level::warn, msg, f); }
inline void error(std::string_view msg, Fields f = {}) { write(Level::error, msg, f); }

// Formats one line without writing it (used by write() and by tests).
std::string format(Level level, std::string_view msg, Fields fields);

// Appends `s` to `out` as a JSON string body (without quotes), escaping
// quotes, backslashes and control characters.
void append_json_escaped(std::string& out, std::string_view s);

// True when a field name denotes a credential and must never be logged.
bool is_secret_field(std::string_view name);

}  // namespace marina::log
