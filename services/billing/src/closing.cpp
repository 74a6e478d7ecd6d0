#include "closing.hpp"

namespace marina::billing {

std::int64_t close_draft(pqxx::work& tx, const ledger::Draft& draft, std::int64_t at) {
  ledger::Closing c;
  c.invoice_id = draft.id;
  c.sums = ledger::item_sums(tx, draft.id);
  const std::int64_t net = c.sums.charges - c.sums.credits;
  c.amount_due = net > 0 ? net : 0;
  c.carried_forward = net < 0 ? -net : 0;
  c.at = at;
  ledger::close_invoice(tx, c);
  return c.carried_forward;
}

void carry_into(pqxx::work& tx, const ledger::Draft& next, const ledger::Draft& from, std::int64_t carried) {
  ledger::NewItem item;
  item.invoice_id = next.id;
  item.kind = "credit";
  item.source = "carry";
  item.amount_msats = carried;
  item.description = "Credit carried forward from invoice " + from.id;
  item.billed_at = next.start;
  ledger::insert_item(tx, item);
}

}  // namespace marina::billing
