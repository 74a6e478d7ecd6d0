#pragma once
// The JSON of plans, invoices and items. Every amount is a field ending in
// _msats (integers, never floating point); times are RFC 3339 UTC.
#include <nlohmann/json.hpp>

#include "invoice_store.hpp"
#include "plan_store.hpp"

namespace marina::billing {

// {id, name, price_msats, limits:{max_relays, ...}, features:[...], updated_at}
nlohmann::json plan_json(const store::Plan& plan);
// {id, tenant_pubkey, period_start, period_end, status, charges_msats,
//  credits_msats, total_msats, amount_due_msats, carried_forward_msats, ...}
nlohmann::json invoice_json(const store::Invoice& invoice);
nlohmann::json item_json(const store::Item& item);

}  // namespace marina::billing
