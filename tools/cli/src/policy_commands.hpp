#pragma once
// `marina relays config get|set|reset` and `marina relays rules
// list|add|remove`: a relay's configuration and auth rules, the relay named
// by its id or its subdomain.
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "args.hpp"

namespace marina::cli {

struct PolicyContext {
  const Args& args;  // words()[0] is "relays", [1] "config" or "rules"
  bool as_json = false;
  // One signed API call; throws on a refusal (the caller reports it).
  std::function<nlohmann::json(const std::string& method, const std::string& target,
                               const std::optional<nlohmann::json>& body)>
      call;
};

int config_command(PolicyContext& ctx);
int rules_command(PolicyContext& ctx);

}  // namespace marina::cli
