#include "accrual.hpp"

#include <algorithm>

#include "closing.hpp"
#include "ledger.hpp"
#include "period.hpp"

namespace marina::billing {
namespace {

// One tenant's billing, walked forward in time inside one transaction.
class Walker {
 public:
  Walker(pqxx::work& tx, std::string tenant, std::int64_t now)
      : tx_(tx),
        tenant_(std::move(tenant)),
        now_(now),
        account_(ledger::find_account(tx, tenant_)),
        prices_(ledger::plan_prices(tx)),
        states_(ledger::relay_states(tx, tenant_)),
        subdomains_(ledger::relay_subdomains(tx, tenant_)) {
    if (account_) draft_ = ledger::find_draft(tx, tenant_);
  }

  void bill(const ledger::Activity& a) {
    // Never bill into a period already closed: a late commit counts from
    // where the account's billing stands.
    std::int64_t t = a.at;
    if (account_) t = std::max(t, account_->accrued_through);
    const std::int64_t new_price = price_of(a.plan, a.status);
    if (!account_ && new_price > 0) open_account(t);
    if (account_) cross_until(t);

    ledger::RelayState& state = state_of(a.relay_id, a);
    if (account_ && draft_) {
      const std::int64_t remaining = draft_->end - t, length = draft_->end - draft_->start;
      const std::int64_t amount = prorate(new_price, remaining, length) - prorate(state.price_msats, remaining, length);
      if (amount != 0) {
        ledger::NewItem item;
        item.invoice_id = draft_->id;
        item.kind = amount > 0 ? "charge" : "credit";
        item.source = "activity";
        item.activity_id = a.id;
        item.relay_id = a.relay_id;
        item.plan = a.plan;
        item.amount_msats = amount > 0 ? amount : -amount;
        item.description = describe(a, state) + ", pro rata " + std::to_string(std::clamp(remaining, std::int64_t{0}, length)) +
                           " of " + std::to_string(length) + " s";
        item.billed_at = t;
        write(item);
      }
    }
    state.plan = a.plan;
    state.status = a.status;
    state.price_msats = new_price;
    ledger::save_relay_state(tx_, tenant_, state);
    ledger::mark_seen(tx_, a.id);
    ++result_.activities;
  }

  // Crosses every boundary up to now and records how far billing stands.
  AccrualResult finish() {
    if (account_) {
      cross_until(now_);
      ledger::set_accrued_through(tx_, tenant_, now_);
    }
    return result_;
  }

 private:
  std::int64_t price_of(const std::string& plan, const std::string& status) const {
    if (status == "inactive") return 0;
    const auto it = prices_.find(plan);
    return it == prices_.end() ? 0 : it->second;
  }

  void open_account(std::int64_t anchor) {
    ledger::create_account(tx_, tenant_, anchor);
    account_ = ledger::Account{tenant_, anchor, anchor};
    const Period first = period_number(anchor, 0);
    draft_ = ledger::insert_draft(tx_, tenant_, first.index, first.start, first.end);
  }

  // Period boundaries at or before t: close the draft, open the next with the
  // carried credit and a full month for every billable relay.
  void cross_until(std::int64_t t) {
    if (!draft_) {
      // An account always has a draft; one lost by hand is started again.
      const Period p = period_at(account_->anchor, t);
      draft_ = ledger::insert_draft(tx_, tenant_, p.index, p.start, p.end);
    }
    while (draft_->end <= t) {
      const ledger::Draft closed = *draft_;
      const std::int64_t carried = close_draft(tx_, closed, now_);
      ++result_.closed;
      const Period next = period_number(account_->anchor, closed.index + 1);
      draft_ = ledger::insert_draft(tx_, tenant_, next.index, next.start, next.end);
      if (carried > 0) carry_into(tx_, *draft_, closed, carried);
      for (auto& [id, state] : states_) {
        state.price_msats = price_of(state.plan, state.status);
        ledger::save_relay_state(tx_, tenant_, state);
        if (state.price_msats == 0) continue;
        ledger::NewItem item;
        item.invoice_id = draft_->id;
        item.kind = "charge";
        item.source = "period";
        item.relay_id = id;
        item.plan = state.plan;
        item.amount_msats = state.price_msats;
        item.description = "Relay " + subdomain(id) + " on " + state.plan + ", full period";
        item.billed_at = next.start;
        write(item);
      }
    }
  }

  ledger::RelayState& state_of(const std::string& relay_id, const ledger::Activity& a) {
    auto it = states_.find(relay_id);
    if (it == states_.end()) it = states_.emplace(relay_id, ledger::RelayState{relay_id, a.plan, "new", 0}).first;
    return it->second;
  }

  std::string subdomain(const std::string& relay_id) const {
    const auto it = subdomains_.find(relay_id);
    return it == subdomains_.end() ? relay_id : it->second;
  }

  // The item's words: what happened, from the snapshot against what was billed.
  std::string describe(const ledger::Activity& a, const ledger::RelayState& before) const {
    const std::string relay = "Relay " + subdomain(a.relay_id);
    if (before.status == "new") return relay + " created on " + a.plan;
    if (a.status == "inactive" && before.status != "inactive") return relay + " deactivated (" + before.plan + ")";
    if (a.status != "inactive" && before.status == "inactive") return relay + " reactivated on " + a.plan;
    if (a.plan != before.plan) return relay + " plan " + before.plan + " -> " + a.plan;
    return relay + " " + a.action + " (price of " + a.plan + " now applies)";
  }

  void write(const ledger::NewItem& item) {
    ledger::insert_item(tx_, item);
    ++result_.items;
    (item.kind == "charge" ? result_.charged_msats : result_.credited_msats) += item.amount_msats;
  }

  pqxx::work& tx_;
  std::string tenant_;
  std::int64_t now_;
  std::optional<ledger::Account> account_;
  std::optional<ledger::Draft> draft_;
  std::map<std::string, std::int64_t> prices_;
  std::map<std::string, ledger::RelayState> states_;
  std::map<std::string, std::string> subdomains_;
  AccrualResult result_;
};

}  // namespace

AccrualResult advance_tenant(pqxx::work& tx, const std::string& tenant, std::int64_t now) {
  ledger::lock_tenant(tx, tenant);
  Walker walker(tx, tenant, now);
  for (const auto& activity : ledger::unseen_activity(tx, tenant, now)) walker.bill(activity);
  return walker.finish();
}

}  // namespace marina::billing
