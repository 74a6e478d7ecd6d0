#pragma once
// What the billing pg tests share: a migrated database per suite, tenants and
// relays written as tenants writes them, activity rows at chosen times (the
// history billing bills from), and the accrual run at a chosen "now".
#include <gtest/gtest.h>

#include <cstdint>
#include <ostream>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "accrual.hpp"

namespace marina::billing::testing {

std::int64_t utc(int y, unsigned m, unsigned d, int h = 0, int min = 0, int s = 0);

struct ItemRow {
  std::string kind, source;
  std::int64_t amount_msats;
  bool operator==(const ItemRow&) const = default;
};
// "charge/activity 10000000" in failure messages.
void PrintTo(const ItemRow& item, std::ostream* os);

struct InvoiceRow {
  std::string id;
  std::int64_t index;
  std::string status;
  std::int64_t amount_due_msats, carried_forward_msats;
  std::int64_t period_start, period_end;
};

class BillingPgTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite();

  std::string new_tenant();
  // A relay row (the plan and status it has now do not matter to billing).
  std::string new_relay(const std::string& tenant);
  // One relay_activity row, as tenants records it after a write.
  std::int64_t activity(const std::string& tenant, const std::string& relay, const std::string& action,
                        const std::string& plan, const std::string& status, std::int64_t at);
  AccrualResult advance(const std::string& tenant, std::int64_t now);

  std::vector<InvoiceRow> invoices(const std::string& tenant);
  std::vector<ItemRow> items(const std::string& invoice_id);
  // Sum of charges minus credits of an invoice's items.
  std::int64_t net(const std::string& invoice_id);
  pqxx::result query(const std::string& sql);

  static std::string* url_;
};

}  // namespace marina::billing::testing
