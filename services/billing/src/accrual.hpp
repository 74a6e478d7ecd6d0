#pragma once
// Billing from history: one tenant's relay_activity snapshots turned into
// invoice items, in time order, with every period boundary crossed on the
// way (closing.hpp closes the period, then each billable relay is charged a
// full month at the new period's start).
//
// The price a relay is billed at is its plan's price_msats while its status
// is not `inactive` (an admin's or a delinquency suspension keeps the relay,
// its data and its plan slot: it stays billed), else 0. For an activity at t
// in the draft period [s, e):
//   amount = prorate(new price, e - t, e - s) - prorate(price billed so far, e - t, e - s)
// a charge when positive, a credit when negative, nothing when 0; creating a
// paid relay (0 -> price), changing plan, deactivating (price -> 0) and
// reactivating are all this one rule. The first activity at a non-zero price
// opens the tenant's account: its time is the anchor of every period.
//
// Exactly once: the tenant's advisory lock serializes replicas; each activity
// is recorded as seen in the transaction that billed it (and an item's
// activity id is UNIQUE); period items are unique per relay and invoice.
// An activity that commits after the account was billed past its time is
// billed at accrued_through (never in a period already closed).
#include <cstdint>
#include <pqxx/pqxx>
#include <string>

namespace marina::billing {

struct AccrualResult {
  std::int64_t activities = 0;  // consumed
  std::int64_t items = 0;       // written
  std::int64_t charged_msats = 0;
  std::int64_t credited_msats = 0;
  std::int64_t closed = 0;  // invoices closed (draft -> open/paid)
};

// Takes the tenant's lock, bills its unseen activity created at or before
// `now` and crosses every period boundary at or before `now`.
AccrualResult advance_tenant(pqxx::work& tx, const std::string& tenant, std::int64_t now);

}  // namespace marina::billing
