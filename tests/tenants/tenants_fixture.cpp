#include "tenants_fixture.hpp"

#include "marina/http/error.hpp"
#include "marina/nostr/hex.hpp"
#include "marina/nostr/keys.hpp"
#include "store_fixture.hpp"

namespace marina::tenants {

boost::asio::awaitable<void> RecordingSink::publish(std::string_view type, std::string relay_id,
                                                    std::string tenant_pubkey, std::string data) {
  std::lock_guard lock(mutex_);
  facts.push_back({std::string(type), std::move(relay_id), std::move(tenant_pubkey), std::move(data)});
  co_return;
}

std::vector<RecordedFact> RecordingSink::facts_for(const std::string& relay_id) {
  std::lock_guard lock(mutex_);
  std::vector<RecordedFact> out;
  for (auto& f : facts)
    if (f.relay_id == relay_id) out.push_back(f);
  return out;
}

std::vector<std::string> RecordingSink::types_for(const std::string& relay_id) {
  std::vector<std::string> out;
  for (auto& f : facts_for(relay_id)) out.push_back(f.type);
  return out;
}

std::string new_pubkey() { return nostr::hex_encode(nostr::public_key(nostr::SecretKey::generate()).span()); }

std::string problem_code(const std::function<void()>& f) {
  try {
    f();
    return "ok";
  } catch (const http::Error& e) {
    return e.code();
  }
}

std::string* TenantsPgTest::url_ = nullptr;

void TenantsPgTest::SetUpTestSuite() {
  delete url_;
  url_ = new std::string(store::testing::fresh_migrated_database());
}

TenantsPgTest::TenantsPgTest() {
  pg::PoolOptions o;
  o.url = *url_;
  o.size = 8;
  pool_ = std::make_unique<pg::Pool>(o);
  settings_.reserved_subdomains = {"api", "admin", "www"};
  set_max_relays("free", 2);
  set_max_relays("pro", 1);
  settings_.master_key = std::string(32, '\x11');
  hosting_ = std::make_unique<Hosting>(*pool_, sink_, settings_, registry_);
  policy_ = std::make_unique<Policy>(*pool_, sink_, registry_);
}

Relay TenantsPgTest::create(const std::string& owner, const std::string& subdomain, std::optional<std::string> plan) {
  return run([&]() { return hosting_->create_relay(Actor{owner, false}, CreateRelay{subdomain, "", "", plan}); });
}

void TenantsPgTest::set_max_relays(const std::string& plan, int n) {
  query("UPDATE plans SET max_relays = " + std::to_string(n) + " WHERE id = '" + plan + "'");
}

std::string TenantsPgTest::unique(const std::string& prefix) { return prefix + "-" + new_pubkey().substr(0, 10); }

pqxx::result TenantsPgTest::query(const std::string& sql) {
  pqxx::connection conn(*url_);
  pqxx::work tx(conn);
  auto r = tx.exec(sql);
  tx.commit();
  return r;
}

}  // namespace marina::tenants
