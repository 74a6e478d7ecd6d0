#include "period.hpp"

#include <algorithm>
#include <chrono>

namespace marina::billing {
namespace {

namespace chr = std::chrono;

constexpr std::int64_t kDay = 86'400;

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

std::int64_t add_months(std::int64_t anchor, std::int64_t k) {
  const std::int64_t days = floor_div(anchor, kDay);
  const std::int64_t time_of_day = anchor - days * kDay;
  const chr::year_month_day ymd{chr::sys_days{chr::days{days}}};
  const chr::year_month_day moved = ymd + chr::months{static_cast<int>(k)};
  // 31 January + 1 month is "31 February": the last day of February instead.
  const chr::year_month_day clamped =
      moved.ok() ? moved : chr::year_month_day{chr::year_month_day_last{moved.year(), chr::month_day_last{moved.month()}}};
  return chr::sys_days{clamped}.time_since_epoch().count() * kDay + time_of_day;
}

Period period_number(std::int64_t anchor, std::int64_t k) {
  return Period{k, add_months(anchor, k), add_months(anchor, k + 1)};
}

Period period_at(std::int64_t anchor, std::int64_t t) {
  if (t < anchor) return period_number(anchor, 0);
  // A month is 28 to 31 days: t - anchor over 28 days overestimates k by a
  // few at most; step back to the right one.
  std::int64_t k = (t - anchor) / (28 * kDay);
  while (k > 0 && add_months(anchor, k) > t) --k;
  while (add_months(anchor, k + 1) <= t) ++k;
  return period_number(anchor, k);
}

std::int64_t prorate(std::int64_t price_msats, std::int64_t remaining, std::int64_t length) {
  if (length <= 0 || price_msats <= 0) return 0;
  remaining = std::clamp<std::int64_t>(remaining, 0, length);
  // price = q * length + r, so price * remaining / length = q * remaining +
  // r * remaining / length, where only the last division rounds: exact, and
  // no product overflows (q * remaining <= price; r, remaining < length, and a
  // period is at most 31 days, so r * remaining < 7.2e12).
  const std::int64_t q = price_msats / length, r = price_msats % length;
  return q * remaining + r * remaining / length;
}

}  // namespace marina::billing
