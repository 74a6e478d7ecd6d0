#include "args.hpp"

namespace marina::cli {

Args::Args(const std::vector<std::string>& argv, const std::set<std::string>& flags) {
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a.size() > 2 && a.rfind("--", 0) == 0) {
      std::string name = a.substr(2);
      const auto eq = name.find('=');
      if (eq != std::string::npos) {
        options_[name.substr(0, eq)] = name.substr(eq + 1);
      } else if (flags.contains(name)) {
        flags_.insert(name);
      } else {
        if (i + 1 >= argv.size()) throw UsageError("--" + name + " needs a value");
        options_[name] = argv[++i];
      }
    } else {
      words_.push_back(a);
    }
  }
}

std::optional<std::string> Args::option(const std::string& name) const {
  auto it = options_.find(name);
  if (it == options_.end()) return std::nullopt;
  return it->second;
}

void Args::only(const std::set<std::string>& known) const {
  for (const auto& [name, _] : options_) {
    if (!known.contains(name)) throw UsageError("unknown option --" + name);
  }
  for (const auto& name : flags_) {
    if (!known.contains(name)) throw UsageError("unknown option --" + name);
  }
}

}  // namespace marina::cli
