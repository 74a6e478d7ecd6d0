#pragma once
// Closing a period: the draft's items netted (charges minus credits), the
// invoice opened for what is due, or marked paid ("nothing-due") when
// nothing is; a credit left over (credits above charges) is carried to the
// next draft as one `carry` credit item, so a negative balance is never lost
// and never paid out.
#include <cstdint>
#include <pqxx/pqxx>

#include "ledger.hpp"

namespace marina::billing {

// Closes `draft` at `at`; returns the credit to carry forward (>= 0).
std::int64_t close_draft(pqxx::work& tx, const ledger::Draft& draft, std::int64_t at);

// The next period's draft receives `carried` (> 0) as its first item.
void carry_into(pqxx::work& tx, const ledger::Draft& next, const ledger::Draft& from, std::int64_t carried);

}  // namespace marina::billing
