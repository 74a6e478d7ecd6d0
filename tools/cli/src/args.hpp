#pragma once
// The command line as words and options: `--name value` and `--name=value`
// options, `--flag` switches, the rest positional, in any order.
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace marina::cli {

// A mistake in how the command was called (exit code 2, with usage).
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Args {
 public:
  // `flags` are the options that take no value.
  Args(const std::vector<std::string>& argv, const std::set<std::string>& flags);

  const std::vector<std::string>& words() const { return words_; }
  std::optional<std::string> option(const std::string& name) const;
  bool flag(const std::string& name) const { return flags_.contains(name); }
  // Fails with UsageError when an option was given that the command does not know.
  void only(const std::set<std::string>& known) const;

 private:
  std::vector<std::string> words_;
  std::map<std::string, std::string> options_;
  std::set<std::string> flags_;
};

}  // namespace marina::cli
