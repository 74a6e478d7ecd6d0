#include "views.hpp"

namespace marina::billing {
namespace {

nlohmann::json nullable(const std::optional<std::string>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); }

}  // namespace

nlohmann::json plan_json(const store::Plan& p) {
  return {{"id", p.id},
          {"name", p.name},
          {"price_msats", p.price_msats},
          {"limits",
           {{"max_relays", p.max_relays},
            {"max_stored_events", p.max_stored_events},
            {"max_connections", p.max_connections},
            {"max_subscriptions", p.max_subscriptions},
            {"max_events_per_minute", p.max_events_per_minute},
            {"max_whitelist_rules", p.max_whitelist_rules}}},
          {"features", p.features},
          {"updated_at", p.updated_at}};
}

nlohmann::json invoice_json(const store::Invoice& i) {
  return {{"id", i.id},
          {"tenant_pubkey", i.tenant_pubkey},
          {"period_start", i.period_start},
          {"period_end", i.period_end},
          {"status", i.status},
          {"charges_msats", i.charges_msats},
          {"credits_msats", i.credits_msats},
          // charges - credits; negative while credits exceed charges (a draft).
          {"total_msats", i.charges_msats - i.credits_msats},
          {"amount_due_msats", i.amount_due_msats},
          {"carried_forward_msats", i.carried_forward_msats},
          {"opened_at", nullable(i.opened_at)},
          {"paid_at", nullable(i.paid_at)},
          {"paid_via", nullable(i.paid_via)},
          {"paid_by", nullable(i.paid_by)},
          {"voided_at", nullable(i.voided_at)},
          {"voided_by", nullable(i.voided_by)},
          {"note", i.note},
          {"created_at", i.created_at},
          {"updated_at", i.updated_at}};
}

nlohmann::json item_json(const store::Item& i) {
  return {{"id", i.id},
          {"kind", i.kind},
          {"source", i.source},
          {"activity_id", i.activity_id ? nlohmann::json(*i.activity_id) : nlohmann::json()},
          {"relay_id", nullable(i.relay_id)},
          {"plan", nullable(i.plan)},
          {"amount_msats", i.amount_msats},
          {"description", i.description},
          {"billed_at", i.billed_at},
          {"created_at", i.created_at}};
}

}  // namespace marina::billing
