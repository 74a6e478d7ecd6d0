#include "billing_fixture.hpp"

#include <chrono>
#include <random>

#include "store_fixture.hpp"

namespace marina::billing::testing {
namespace {

std::string random_hex(std::size_t n) {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += digits[rng() % 16];
  return out;
}

}  // namespace

std::int64_t utc(int y, unsigned m, unsigned d, int h, int min, int s) {
  using namespace std::chrono;
  const sys_days date{year{y} / month{m} / day{d}};
  return date.time_since_epoch().count() * 86400 + h * 3600 + min * 60 + s;
}

void PrintTo(const ItemRow& item, std::ostream* os) {
  *os << item.kind << "/" << item.source << " " << item.amount_msats;
}

std::string* BillingPgTest::url_ = nullptr;

void BillingPgTest::SetUpTestSuite() {
  delete url_;
  url_ = new std::string(::marina::store::testing::fresh_migrated_database());
}

pqxx::result BillingPgTest::query(const std::string& sql) {
  pqxx::connection conn(*url_);
  pqxx::work tx(conn);
  auto r = tx.exec(sql);
  tx.commit();
  return r;
}

std::string BillingPgTest::new_tenant() {
  const std::string pubkey = random_hex(64);
  query("INSERT INTO tenants (pubkey) VALUES ('" + pubkey + "')");
  return pubkey;
}

std::string BillingPgTest::new_relay(const std::string& tenant) {
  return query("INSERT INTO relays (tenant_pubkey, subdomain, relay_pubkey, relay_secret_enc) VALUES ('" + tenant +
               "', 'r" + random_hex(12) + "', '" + random_hex(64) + "', '\\x00') RETURNING id::text")[0][0]
      .c_str();
}

std::int64_t BillingPgTest::activity(const std::string& tenant, const std::string& relay, const std::string& action,
                                     const std::string& plan, const std::string& status, std::int64_t at) {
  return query("INSERT INTO relay_activity (relay_id, tenant_pubkey, actor_pubkey, actor_role, action, plan, status, "
               "created_at) VALUES ('" +
               relay + "', '" + tenant + "', '" + tenant + "', 'tenant', '" + action + "', '" + plan + "', '" +
               status + "', to_timestamp(" + std::to_string(at) + ")) RETURNING id")[0][0]
      .as<std::int64_t>();
}

AccrualResult BillingPgTest::advance(const std::string& tenant, std::int64_t now) {
  pqxx::connection conn(*url_);
  pqxx::work tx(conn);
  const AccrualResult r = advance_tenant(tx, tenant, now);
  tx.commit();
  return r;
}

std::vector<InvoiceRow> BillingPgTest::invoices(const std::string& tenant) {
  std::vector<InvoiceRow> out;
  for (const auto& r : query("SELECT id::text, period_index, status, amount_due_msats, carried_forward_msats, "
                             "extract(epoch FROM period_start)::bigint, extract(epoch FROM period_end)::bigint "
                             "FROM invoices WHERE tenant_pubkey = '" +
                             tenant + "' ORDER BY period_index"))
    out.push_back(InvoiceRow{r[0].c_str(), r[1].as<std::int64_t>(), r[2].c_str(), r[3].as<std::int64_t>(),
                             r[4].as<std::int64_t>(), r[5].as<std::int64_t>(), r[6].as<std::int64_t>()});
  return out;
}

std::vector<ItemRow> BillingPgTest::items(const std::string& invoice_id) {
  std::vector<ItemRow> out;
  for (const auto& r : query("SELECT kind, source, amount_msats FROM invoice_items WHERE invoice_id = '" + invoice_id +
                             "' ORDER BY billed_at, id"))
    out.push_back(ItemRow{r[0].c_str(), r[1].c_str(), r[2].as<std::int64_t>()});
  return out;
}

std::int64_t BillingPgTest::net(const std::string& invoice_id) {
  return query("SELECT coalesce(sum(CASE kind WHEN 'charge' THEN amount_msats ELSE -amount_msats END), 0)::bigint "
               "FROM invoice_items WHERE invoice_id = '" +
               invoice_id + "'")[0][0]
      .as<std::int64_t>();
}

}  // namespace marina::billing::testing
