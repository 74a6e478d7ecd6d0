#include "marina/store/relay_directory.hpp"

#include <map>
#include <pqxx/pqxx>
#include <vector>

#include "marina/core/dns_label.hpp"
#include "marina/pg/pool.hpp"
#include "policy_rows.hpp"
#include "uuid.hpp"

namespace marina::store {

namespace {

// Remembered unknown subdomains, at most: a flood of random hosts must not
// grow the cache without bound.
constexpr std::size_t kMaxMisses = 10000;

// Everything the relay services know about a relay comes from here: each of
// load_all, refresh and the lookups on a miss reads through read_relays, so
// what a relay carries is added in this one place and rides every path: the
// row, its owner's standing, its plan, its configuration rows and auth rules.
const std::string kSelect =
    std::string("SELECT r.id::text, r.subdomain, r.tenant_pubkey, r.name, r.description, r.plan, r.status, "
                "r.status_reason, r.relay_pubkey, extract(epoch FROM r.created_at)::bigint, "
                "extract(epoch FROM r.updated_at)::bigint, t.status = 'suspended', t.status_reason, ") +
    detail::kPlanColumns +
    " FROM relays r JOIN tenants t ON t.pubkey = r.tenant_pubkey JOIN plans p ON p.id = r.plan";
constexpr int kFirstPlanColumn = 13;

// The statements of one read must agree (a rule of a relay the first did not see).
using SnapshotRead = pqxx::transaction<pqxx::isolation_level::repeatable_read, pqxx::readwrite_policy::read_only>;

std::shared_ptr<const Relay> relay_from(const pqxx::row& row, const relay::ConfigRows& config,
                                        std::vector<relay::AuthRule> rules) {
  auto relay = std::make_shared<Relay>();
  relay->id = row[0].c_str();
  relay->subdomain = row[1].c_str();
  relay->tenant_pubkey = row[2].c_str();
  relay->name = row[3].c_str();
  relay->description = row[4].c_str();
  relay->plan = row[5].c_str();
  // The table's CHECK admits only the three statuses.
  relay->status = parse_relay_status(row[6].c_str()).value_or(RelayStatus::inactive);
  relay->status_reason = row[7].c_str();
  relay->relay_pubkey = row[8].c_str();
  relay->created_at = row[9].as<std::int64_t>();
  relay->updated_at = row[10].as<std::int64_t>();
  relay->tenant_suspended = row[11].as<bool>();
  relay->tenant_status_reason = row[12].c_str();
  auto plan = std::make_shared<const relay::PlanLimits>(detail::plan_from(row, kFirstPlanColumn));
  relay->config = relay::make_relay_config(config, relay::RelayIdentity{relay->subdomain, relay->name, relay->description},
                                           plan.get());
  relay->rules = std::make_shared<const relay::AuthRules>(std::move(rules));
  relay->plan_limits = std::move(plan);
  return relay;
}

// Every relay (`column` empty) or the one whose unique `column` (a constant
// of this file: "id" or "subdomain") equals `value`. Three statements in one
// snapshot, whatever the number of relays.
std::vector<std::shared_ptr<const Relay>> read_relays(pqxx::connection& conn, const char* column,
                                                      const std::string& value) {
  SnapshotRead tx(conn);
  const bool all = *column == '\0';
  const pqxx::result rows =
      all ? tx.exec(kSelect) : tx.exec_params(kSelect + " WHERE r." + column + " = $1", value);
  std::map<std::string, relay::ConfigRows> configs;
  std::map<std::string, std::vector<relay::AuthRule>> rules;
  if (all || !rows.empty()) {
    const std::string only = all ? std::string() : std::string(" WHERE relay_id = $1::uuid");
    const std::string id = all ? std::string() : std::string(rows[0][0].c_str());
    const std::string config_sql = "SELECT relay_id::text, key, value FROM relay_config" + only;
    const std::string rules_sql = std::string(detail::kRuleSelect) + only + " ORDER BY id";
    for (const auto& row : all ? tx.exec(config_sql) : tx.exec_params(config_sql, id))
      configs[row[0].c_str()].emplace(row[1].c_str(), row[2].c_str());
    for (const auto& row : all ? tx.exec(rules_sql) : tx.exec_params(rules_sql, id))
      rules[row[0].c_str()].push_back(detail::rule_from(row));
  }
  tx.commit();
  static const relay::ConfigRows kNoRows;
  std::vector<std::shared_ptr<const Relay>> relays;
  relays.reserve(rows.size());
  for (const auto& row : rows) {
    const std::string id = row[0].c_str();
    const auto config = configs.find(id);
    auto relay_rules = rules.find(id);
    relays.push_back(relay_from(row, config == configs.end() ? kNoRows : config->second,
                                relay_rules == rules.end() ? std::vector<relay::AuthRule>{}
                                                           : std::move(relay_rules->second)));
  }
  return relays;
}

// One relay by a unique column, or nullptr.
boost::asio::awaitable<std::shared_ptr<const Relay>> fetch_one(pg::Pool& pool, const char* column,
                                                               const std::string& value) {
  auto job = [column, &value](pqxx::connection& conn) -> std::shared_ptr<const Relay> {
    auto relays = read_relays(conn, column, value);
    return relays.empty() ? nullptr : std::move(relays.front());
  };
  co_return co_await pool.run(std::move(job));
}

}  // namespace

RelayDirectory::RelayDirectory(pg::Pool& pool, std::chrono::milliseconds negative_ttl)
    : pool_(pool), negative_ttl_(negative_ttl) {}

boost::asio::awaitable<void> RelayDirectory::load_all() {
  auto job = [](pqxx::connection& conn) { return read_relays(conn, "", ""); };
  const std::vector<std::shared_ptr<const Relay>> relays = co_await pool_.run(std::move(job));
  std::lock_guard lock(mutex_);
  by_id_.clear();
  by_subdomain_.clear();
  misses_.clear();
  for (const auto& relay : relays) put(relay);
}

boost::asio::awaitable<std::shared_ptr<const Relay>> RelayDirectory::refresh(const std::string& relay_id) {
  const auto id = detail::canonical_uuid(relay_id);
  std::shared_ptr<const Relay> relay;
  if (id) relay = co_await fetch_one(pool_, "id", *id);
  std::lock_guard lock(mutex_);
  if (relay) {
    put(relay);
    co_return relay;
  }
  if (!id) co_return nullptr;
  if (auto it = by_id_.find(*id); it != by_id_.end()) {
    if (auto s = by_subdomain_.find(it->second->subdomain); s != by_subdomain_.end() && s->second == it->second)
      by_subdomain_.erase(s);
    by_id_.erase(it);
  }
  co_return nullptr;
}

boost::asio::awaitable<std::shared_ptr<const Relay>> RelayDirectory::by_subdomain(const std::string& subdomain) {
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    if (auto it = by_subdomain_.find(subdomain); it != by_subdomain_.end()) co_return it->second;
    if (auto it = misses_.find(subdomain); it != misses_.end() && now - it->second < negative_ttl_) co_return nullptr;
  }
  // Nothing the relays table could hold: no query for it.
  if (!core::is_dns_label(subdomain)) co_return nullptr;
  std::shared_ptr<const Relay> relay = co_await fetch_one(pool_, "subdomain", subdomain);
  std::lock_guard lock(mutex_);
  if (relay) {
    put(relay);
    co_return relay;
  }
  if (misses_.size() >= kMaxMisses) {
    std::erase_if(misses_, [&](const auto& m) { return now - m.second >= negative_ttl_; });
    if (misses_.size() >= kMaxMisses) misses_.clear();
  }
  misses_[subdomain] = std::chrono::steady_clock::now();
  co_return nullptr;
}

boost::asio::awaitable<std::shared_ptr<const Relay>> RelayDirectory::by_id(const std::string& relay_id) {
  const auto id = detail::canonical_uuid(relay_id);
  if (!id) co_return nullptr;
  {
    std::lock_guard lock(mutex_);
    if (auto it = by_id_.find(*id); it != by_id_.end()) co_return it->second;
  }
  std::shared_ptr<const Relay> relay = co_await fetch_one(pool_, "id", *id);
  if (relay) {
    std::lock_guard lock(mutex_);
    put(relay);
  }
  co_return relay;
}

std::shared_ptr<const Relay> RelayDirectory::cached_by_id(const std::string& relay_id) const {
  std::lock_guard lock(mutex_);
  auto it = by_id_.find(relay_id);
  return it == by_id_.end() ? nullptr : it->second;
}

std::size_t RelayDirectory::size() const {
  std::lock_guard lock(mutex_);
  return by_id_.size();
}

// Caller holds mutex_.
void RelayDirectory::put(std::shared_ptr<const Relay> relay) {
  if (auto it = by_id_.find(relay->id); it != by_id_.end() && it->second->subdomain != relay->subdomain) {
    // Renamed: the old subdomain no longer leads here.
    if (auto s = by_subdomain_.find(it->second->subdomain); s != by_subdomain_.end() && s->second == it->second)
      by_subdomain_.erase(s);
  }
  misses_.erase(relay->subdomain);
  by_subdomain_[relay->subdomain] = relay;
  by_id_[relay->id] = std::move(relay);
}

}  // namespace marina::store
