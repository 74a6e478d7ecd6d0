#pragma once
// A plan's limits, as the `plans` table holds them (migrations/0006; billing
// extends that table with prices): how many relays a tenant may have on it,
// and the caps it puts on each of those relays. Caps apply two ways: the
// configuration keys they bound cannot be set above them (plan-ceiling), and
// the relay services enforce the rest (stored events, event rate) directly.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace marina::relay {

struct PlanLimits {
  std::string id;    // what relays.plan holds: free, pro, business
  std::string name;  // for people: Free, Pro, Business
  std::int64_t max_relays = 0;             // relays (not inactive) a tenant may have on the plan
  std::int64_t max_stored_events = 0;      // events one relay may store
  std::int64_t max_connections = 0;        // caps max_connections
  std::int64_t max_subscriptions = 0;      // caps max_total_subscriptions and max_subscriptions_per_client
  std::int64_t max_events_per_minute = 0;  // EVENTs one relay accepts per minute, all clients together
  std::int64_t max_whitelist_rules = 0;    // whitelist auth rules per relay
  std::vector<std::string> features;       // named capabilities beyond the numbers (none gated yet)

  // The cap this plan puts on configuration key `key`; nullopt when it puts none.
  std::optional<std::int64_t> ceiling(std::string_view key) const;
};

// A value above its plan's cap:
//   "max_connections: 5000 is above the cap of plan 'free' (100)"
struct CeilingRefusal {
  std::string key;
  std::int64_t value = 0;
  std::int64_t cap = 0;
  std::string plan;
  std::string message() const;
};

// Refuses `canonical_value` of `key` when `plan` caps the key below it.
std::optional<CeilingRefusal> check_ceiling(const PlanLimits& plan, std::string_view key,
                                            std::string_view canonical_value);

}  // namespace marina::relay
