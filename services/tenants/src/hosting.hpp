#pragma once
// The hosting rules, each operation one transaction followed by its fact:
// who may see and change which relay, tenant suspension, plan limits, the
// relay's key pair and default configuration, and the activity row every
// write records. Routes only read requests and render answers.
//
// Problems (http::Error):
//   404 relay-not-found / tenant-not-found   (another tenant's relay is "not found")
//   403 tenant-suspended   a suspended tenant's write
//   403 relay-suspended    a tenant's write to a relay an admin suspended
//   403 plan-limit-reached the plan's relay count is used up
//   400 plan-unknown       a plan not in the `plans` table
//   409 subdomain-taken    the database's unique constraint refused the insert
#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "facts.hpp"
#include "marina/metrics/counter.hpp"
#include "model.hpp"
#include "page.hpp"
#include "relay_body.hpp"
#include "repository.hpp"
#include "settings.hpp"

namespace marina::pg {
class Pool;
}

namespace marina::tenants {

// Whose relays an operation may see: one tenant's (tenant routes), or all (admin routes).
using Scope = std::optional<std::string>;

template <typename T>
struct Page {
  std::vector<T> items;
  std::optional<std::string> next_cursor;
};

// The plan of a relay created without one.
inline constexpr const char* kDefaultPlan = "free";

class Hosting {
 public:
  Hosting(pg::Pool& db, FactSink& facts, const Settings& settings, metrics::Registry& registry);

  boost::asio::awaitable<Tenant> ensure_tenant(std::string pubkey);
  boost::asio::awaitable<Page<Relay>> list_relays(Scope scope, PageRequest page);
  boost::asio::awaitable<Relay> get_relay(std::string id, Scope scope);
  boost::asio::awaitable<Relay> create_relay(Actor actor, CreateRelay request);
  // Tenant: name/description/plan. Admin: also status (suspend, deactivate, reactivate).
  boost::asio::awaitable<Relay> update_relay(Actor actor, std::string id, Scope scope,
                                             repo::RelayChanges changes);
  boost::asio::awaitable<Relay> set_relay_status(Actor actor, std::string id, Scope scope,
                                                 std::string status);
  boost::asio::awaitable<Page<Activity>> activity(std::string id, Scope scope, PageRequest page);

  // The caller's relay, if events may be imported into it now: 403
  // tenant-suspended / relay-suspended, 409 relay-inactive.
  boost::asio::awaitable<Relay> relay_for_import(Actor actor, std::string id);
  // The activity row of an import (what it added is in details).
  boost::asio::awaitable<void> record_import(Actor actor, Relay relay, std::string details_json);

  boost::asio::awaitable<Page<Tenant>> list_tenants(PageRequest page);
  boost::asio::awaitable<std::pair<Tenant, std::vector<Relay>>> tenant_detail(std::string pubkey);
  boost::asio::awaitable<Tenant> set_tenant_status(Actor actor, std::string pubkey, TenantStatus status);

 private:
  // Applies changes to the relay in one transaction with its checks and
  // activity; returns the relay before and after.
  boost::asio::awaitable<std::pair<Relay, Relay>> change(Actor actor, std::string id, Scope scope,
                                                         repo::RelayChanges changes);

  pg::Pool& db_;
  FactSink& facts_;
  const Settings& settings_;
  metrics::Counter relays_created_;
  metrics::CounterFamily& relay_changes_;
};

}  // namespace marina::tenants
