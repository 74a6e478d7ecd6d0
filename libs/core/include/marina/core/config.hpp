#pragma once
// Typed configuration from environment variables.
//
// A service declares every variable it reads, once, with its type, default and
// description; the same declarations validate the environment at start and
// produce the documentation table (`marina-<svc> --config-help`). A bad value is
// collected, and finish() throws ConfigError whose what() is one line naming
// the variable and the reason, so main() can print it and exit.
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace marina::core {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One declared variable, for documentation.
struct ConfigEntry {
  std::string name;
  std::string type;
  std::string default_value;  // as text; "(required)" when there is none
  std::string description;
  bool secret = false;
};

class Config {
 public:
  using Lookup = std::function<std::optional<std::string>(const std::string&)>;

  // Reads from the process environment.
  Config();
  // Reads through `lookup` (tests pass a map).
  explicit Config(Lookup lookup);

  std::string string(const std::string& name, const std::string& def, const std::string& description);
  // Required: no default; missing or empty is an error.
  std::string required_string(const std::string& name, const std::string& description);
  // Never printed: its default and value show as "(secret)" in documentation.
  std::string secret(const std::string& name, const std::string& def, const std::string& description);
  std::int64_t integer(const std::string& name, std::int64_t def, std::int64_t min, std::int64_t max,
                       const std::string& description);
  std::uint16_t port(const std::string& name, std::uint16_t def, const std::string& description);
  bool boolean(const std::string& name, bool def, const std::string& description);
  // Durations are written as an integer with a unit: "250ms", "5s", "2m", "1h".
  std::chrono::milliseconds duration(const std::string& name, std::chrono::milliseconds def,
                                     std::chrono::milliseconds min, std::chrono::milliseconds max,
                                     const std::string& description);
  // Comma-separated; blanks trimmed, empty items dropped.
  std::vector<std::string> list(const std::string& name, const std::string& def, const std::string& description);
  // One of a fixed set of words.
  std::string choice(const std::string& name, const std::string& def, const std::vector<std::string>& allowed,
                     const std::string& description);

  // Throws ConfigError naming the first bad variable (and how many more there were).
  void finish() const;

  const std::vector<ConfigEntry>& entries() const { return entries_; }
  // A Markdown table of every declared variable.
  std::string markdown_table() const;

 private:
  std::optional<std::string> raw(const std::string& name) const;
  void declare(const std::string& name, std::string type, std::string def, const std::string& description,
               bool secret = false);
  void fail(const std::string& name, const std::string& why);

  Lookup lookup_;
  std::vector<ConfigEntry> entries_;
  std::vector<std::string> errors_;
};

// Parses "250ms", "5s", "2m", "1h" (a bare integer means seconds). nullopt when malformed.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

}  // namespace marina::core
