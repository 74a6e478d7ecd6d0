#include "hosting.hpp"

#include <charconv>
#include <nlohmann/json.hpp>

#include "marina/http/error.hpp"
#include "marina/metrics/registry.hpp"
#include "marina/nostr/hex.hpp"
#include "marina/nostr/keys.hpp"
#include "marina/pg/pool.hpp"
#include "marina/store/relay_policy.hpp"
#include "marina/streams/contracts.hpp"
#include "relay_guard.hpp"
#include "sealed_secret.hpp"

namespace marina::tenants {
namespace {

// The plan a relay counts against, read in the writing transaction: 400
// plan-unknown when there is no such plan.
relay::PlanLimits plan_or_refuse(pqxx::work& tx, const std::string& plan) {
  auto limits = store::load_plan(tx, plan);
  if (!limits) throw http::Error(400, "plan-unknown", "Unknown plan", "There is no plan '" + plan + "'.");
  return *limits;
}

// The activity action and the fact of a status change.
std::pair<std::string, std::string_view> status_action(const std::string& status) {
  if (status == "inactive") return {"deactivated", streams::kFactRelayDeactivated};
  if (status == "suspended") return {"suspended", streams::kFactRelaySuspended};
  return {"reactivated", streams::kFactRelayReactivated};
}

template <typename T>
Page<T> trim_page(std::vector<T> rows, std::size_t limit) {
  Page<T> page;
  if (rows.size() > limit) {
    rows.resize(limit);
    page.next_cursor = rows.back().cursor;
  }
  page.items = std::move(rows);
  return page;
}

std::string tenant_fact_data(const TenantStatus& status, const std::string& by) {
  nlohmann::json data{{"status", status.status}, {"by", by}};
  if (!status.reason.empty()) data["reason"] = status.reason;
  return data.dump();
}

std::string fact_data(const Relay& r) {
  return nlohmann::json{{"subdomain", r.subdomain}, {"status", r.status}, {"plan", r.plan}}.dump();
}

}  // namespace

Hosting::Hosting(pg::Pool& db, FactSink& facts, const Settings& settings, metrics::Registry& registry)
    : db_(db),
      facts_(facts),
      settings_(settings),
      relays_created_(registry.counter("marina_tenants_relays_created_total", "Relays created.").with()),
      relay_changes_(registry.counter("marina_tenants_relay_changes_total",
                                      "Writes to existing relays, by activity action.", {"action"})) {}

boost::asio::awaitable<Tenant> Hosting::ensure_tenant(std::string pubkey) {
  co_return co_await db_.transaction([&](pqxx::work& tx) { return repo::ensure_tenant(tx, pubkey); });
}

boost::asio::awaitable<Page<Relay>> Hosting::list_relays(Scope scope, PageRequest page) {
  const std::size_t limit = page.limit;
  page.limit = limit + 1;  // one more tells whether there is a next page
  auto rows = co_await db_.transaction([&](pqxx::work& tx) { return repo::list_relays(tx, scope, page); });
  co_return trim_page(std::move(rows), limit);
}

boost::asio::awaitable<Relay> Hosting::get_relay(std::string id, Scope scope) {
  auto relay = co_await db_.transaction([&](pqxx::work& tx) { return repo::find_relay(tx, id, scope); });
  if (!relay) throw relay_not_found(id);
  co_return *relay;
}

boost::asio::awaitable<Relay> Hosting::create_relay(Actor actor, CreateRelay request) {
  const std::string plan = request.plan.value_or(kDefaultPlan);
  const auto secret = nostr::SecretKey::generate();
  const std::string relay_pubkey = nostr::hex_encode(nostr::public_key(secret).span());
  const auto secret_bytes = secret.bytes();
  repo::NewRelay row{actor.pubkey,
                     request.subdomain,
                     request.name,
                     request.description,
                     plan,
                     relay_pubkey,
                     seal(settings_.master_key,
                          std::string_view(reinterpret_cast<const char*>(secret_bytes.data()), secret_bytes.size()))};
  Relay relay;
  try {
    relay = co_await db_.transaction([&](pqxx::work& tx) {
      const std::int64_t max_relays = plan_or_refuse(tx, plan).max_relays;
      repo::ensure_tenant(tx, actor.pubkey);
      // Locked: a tenant's concurrent creations are counted one after another.
      if (repo::lock_tenant_status(tx, actor.pubkey) == "suspended")
        throw http::Error(403, "tenant-suspended", "Tenant suspended", "A suspended tenant cannot create relays.");
      if (repo::count_counted_relays(tx, actor.pubkey, plan) >= max_relays)
        throw http::Error(403, "plan-limit-reached", "Plan limit reached",
                          "Plan '" + plan + "' allows " + std::to_string(max_relays) + " relays.");
      // No configuration rows: every key starts at its default (libs/relay).
      Relay created = repo::insert_relay(tx, row);
      repo::record_activity(tx, created, actor, "created",
                            nlohmann::json{{"subdomain", created.subdomain}, {"name", created.name}}.dump());
      return created;
    });
  } catch (const pg::UniqueViolation& e) {
    // Exactly one of concurrent creators gets past the unique index.
    if (e.constraint() != "relays_subdomain_key") throw;
    throw http::Error(409, "subdomain-taken", "Subdomain taken", "'" + row.subdomain + "' is already in use.");
  }
  relays_created_.inc();
  co_await facts_.publish(streams::kFactRelayCreated, relay.id, relay.tenant_pubkey, fact_data(relay));
  co_return relay;
}

boost::asio::awaitable<std::pair<Relay, Relay>> Hosting::change(Actor actor, std::string id, Scope scope,
                                                                repo::RelayChanges changes) {
  auto result = co_await db_.transaction([&](pqxx::work& tx) -> std::pair<Relay, Relay> {
    const Relay before = lock_relay_for_write(tx, actor, id, scope);
    nlohmann::json details = nlohmann::json::object();
    auto note = [&](const char* field, const std::optional<std::string>& to, const std::string& from) {
      if (to && *to != from) details[field] = {{"from", from}, {"to", *to}};
    };
    note("name", changes.name, before.name);
    note("description", changes.description, before.description);
    note("plan", changes.plan, before.plan);
    note("status", changes.status, before.status);
    if (details.empty()) return {before, before};  // nothing to write, nothing to record
    if (changes.plan) plan_or_refuse(tx, *changes.plan);
    const std::string plan = changes.plan.value_or(before.plan);
    const std::string status = changes.status.value_or(before.status);
    const bool joins_plan = status != "inactive" && (before.status == "inactive" || plan != before.plan);
    if (!actor.admin && joins_plan) {
      const std::int64_t max_relays = plan_or_refuse(tx, plan).max_relays;
      if (repo::count_counted_relays(tx, before.tenant_pubkey, plan) >= max_relays)
        throw http::Error(403, "plan-limit-reached", "Plan limit reached",
                          "Plan '" + plan + "' allows " + std::to_string(max_relays) + " relays.");
    }
    if (changes.status && *changes.status != before.status) {
      changes.status_reason = changes.status_reason.value_or("");
      if (!changes.status_reason->empty()) details["reason"] = *changes.status_reason;
    } else {
      changes.status.reset();
      changes.status_reason.reset();
    }
    const Relay after = repo::update_relay(tx, id, changes);
    const std::string action = changes.status ? status_action(after.status).first : "updated";
    repo::record_activity(tx, after, actor, action, details.dump());
    return {before, after};
  });
  const auto& [before, after] = result;
  if (before.updated_at == after.updated_at) co_return result;
  const bool status_changed = before.status != after.status;
  const bool fields_changed =
      before.name != after.name || before.description != after.description || before.plan != after.plan;
  if (status_changed) {
    const auto [action, fact] = status_action(after.status);
    relay_changes_.with({action}).inc();
    co_await facts_.publish(fact, after.id, after.tenant_pubkey, fact_data(after));
  }
  if (fields_changed) {
    if (!status_changed) relay_changes_.with({"updated"}).inc();
    co_await facts_.publish(streams::kFactRelayUpdated, after.id, after.tenant_pubkey, fact_data(after));
  }
  co_return result;
}

boost::asio::awaitable<Relay> Hosting::update_relay(Actor actor, std::string id, Scope scope,
                                                    repo::RelayChanges changes) {
  co_return (co_await change(actor, id, scope, std::move(changes))).second;
}

boost::asio::awaitable<Relay> Hosting::set_relay_status(Actor actor, std::string id, Scope scope,
                                                        std::string status) {
  repo::RelayChanges changes;
  changes.status = std::move(status);
  co_return (co_await change(actor, id, scope, std::move(changes))).second;
}

boost::asio::awaitable<Page<Activity>> Hosting::activity(std::string id, Scope scope, PageRequest page) {
  std::int64_t after = 0;
  if (page.cursor) {
    const auto& c = *page.cursor;
    auto [end, ec] = std::from_chars(c.data(), c.data() + c.size(), after);
    if (ec != std::errc() || end != c.data() + c.size() || after < 0)
      throw http::Error(400, "invalid-cursor", "Invalid cursor", "Use the next_cursor of a previous page.");
  }
  auto rows = co_await db_.transaction([&](pqxx::work& tx) -> std::optional<std::vector<Activity>> {
    if (!repo::find_relay(tx, id, scope)) return std::nullopt;
    return repo::list_activity(tx, id, after, page.limit + 1);
  });
  if (!rows) throw relay_not_found(id);
  Page<Activity> out;
  if (rows->size() > page.limit) {
    rows->resize(page.limit);
    out.next_cursor = std::to_string(rows->back().id);
  }
  out.items = std::move(*rows);
  co_return out;
}

boost::asio::awaitable<Relay> Hosting::relay_for_import(Actor actor, std::string id) {
  auto found = co_await db_.transaction([&](pqxx::work& tx) -> std::optional<std::pair<Relay, std::string>> {
    auto relay = repo::find_relay(tx, id, actor.pubkey);
    if (!relay) return std::nullopt;
    return std::pair{*relay, repo::lock_tenant_status(tx, actor.pubkey).value_or("active")};
  });
  if (!found) throw relay_not_found(id);
  const auto& [relay, tenant_status] = *found;
  if (tenant_status == "suspended")
    throw http::Error(403, "tenant-suspended", "Tenant suspended", "A suspended tenant cannot import events.");
  if (relay.status == "suspended")
    throw http::Error(403, "relay-suspended", "Relay suspended", "This relay was suspended by the platform.");
  if (relay.status == "inactive")
    throw http::Error(409, "relay-inactive", "Relay inactive", "Reactivate the relay before importing into it.");
  co_return relay;
}

boost::asio::awaitable<void> Hosting::record_import(Actor actor, Relay relay, std::string details_json) {
  co_await db_.transaction([&](pqxx::work& tx) { repo::record_activity(tx, relay, actor, "imported", details_json); });
}

boost::asio::awaitable<Page<Tenant>> Hosting::list_tenants(PageRequest page) {
  const std::size_t limit = page.limit;
  page.limit = limit + 1;
  auto rows = co_await db_.transaction([&](pqxx::work& tx) { return repo::list_tenants(tx, page); });
  co_return trim_page(std::move(rows), limit);
}

boost::asio::awaitable<std::pair<Tenant, std::vector<Relay>>> Hosting::tenant_detail(std::string pubkey) {
  auto found = co_await db_.transaction([&](pqxx::work& tx) -> std::optional<std::pair<Tenant, std::vector<Relay>>> {
    auto tenant = repo::find_tenant(tx, pubkey);
    if (!tenant) return std::nullopt;
    PageRequest all;
    all.limit = 10'000;
    return std::pair{*tenant, repo::list_relays(tx, pubkey, all)};
  });
  if (!found) throw http::Error(404, "tenant-not-found", "Tenant not found", "No tenant " + pubkey + ".");
  co_return *found;
}

boost::asio::awaitable<Tenant> Hosting::set_tenant_status(Actor actor, std::string pubkey, TenantStatus status) {
  // Changed: the status, or the reason of a suspension (what its relays'
  // clients read in "blocked: <reason>"), so the relay services reload.
  auto result = co_await db_.transaction([&](pqxx::work& tx) -> std::optional<std::pair<bool, Tenant>> {
    auto before_status = repo::lock_tenant_status(tx, pubkey);
    if (!before_status) return std::nullopt;
    const Tenant before = *repo::find_tenant(tx, pubkey);
    const bool changed = before.status != status.status || before.status_reason != status.reason;
    if (changed) repo::set_tenant_status(tx, pubkey, status);
    if (before.status != status.status) {
      // Each of the tenant's relays gets the row too: billing reads one
      // relay's history to know when its owner could not use it.
      PageRequest all;
      all.limit = 10'000;
      const std::string action = status.status == "suspended" ? "tenant_suspended" : "tenant_reactivated";
      const std::string details = tenant_fact_data(status, actor.pubkey);
      for (const auto& relay : repo::list_relays(tx, pubkey, all)) repo::record_activity(tx, relay, actor, action, details);
    }
    return std::pair{changed, *repo::find_tenant(tx, pubkey)};
  });
  if (!result) throw http::Error(404, "tenant-not-found", "Tenant not found", "No tenant " + pubkey + ".");
  if (result->first) {
    // Built outside the co_await: GCC 12 miscompiles braced initializers in one.
    std::string data = tenant_fact_data(status, actor.pubkey);
    co_await facts_.publish(streams::kFactTenantUpdated, std::string(), pubkey, std::move(data));
  }
  co_return result->second;
}

}  // namespace marina::tenants
