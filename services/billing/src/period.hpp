#pragma once
// The calendar of a billing account and the one rounding rule, pure (no I/O),
// so the arithmetic is tested alone.
//
// Times are unix seconds, UTC. An account's period k is
//   [add_months(anchor, k), add_months(anchor, k + 1))
// each bound computed from the anchor itself (never from the previous bound),
// with the anchor's day clamped to the last day of a shorter month and its
// time of day kept: an anchor of 31 January 10:00 gives periods starting
// 28 (29) February, 31 March, 30 April, 31 May ... at 10:00.
#include <cstdint>

namespace marina::billing {

// The anchor moved by k calendar months (k >= 0), the day clamped as above.
std::int64_t add_months(std::int64_t anchor, std::int64_t k);

struct Period {
  std::int64_t index = 0;  // k
  std::int64_t start = 0;
  std::int64_t end = 0;  // exclusive
  std::int64_t length() const { return end - start; }
};

// The period holding t (t >= anchor; an earlier t is period 0).
Period period_at(std::int64_t anchor, std::int64_t t);
// Period k.
Period period_number(std::int64_t anchor, std::int64_t k);

// The pro rata amount of a monthly price for `remaining` of a period's
// `length` seconds: floor(price * remaining / length), remaining clamped to
// [0, length]. The same rule for charges and credits, so a credit exactly
// undoes the charge made for the same price at the same instant (a relay
// created and deactivated in one second nets 0), and no single item is ever
// more than the exact pro rata value. Exact integer arithmetic for any price
// up to the table's bound and any period length up to a few years: no
// floating point anywhere.
std::int64_t prorate(std::int64_t price_msats, std::int64_t remaining, std::int64_t length);

}  // namespace marina::billing
