#include "probe.hpp"

#include <utility>

#include "marina/metrics/registry.hpp"

namespace marina::auth {

namespace {

metrics::CounterFamily& results(metrics::Registry& r) {
  return r.counter("marina_auth_verifications_total", "NIP-98 verifications answered by /verify, by result.",
                   {"result"});
}

// refused_ is indexed by the enum's value, so kAllReasons must list the
// reasons in declaration order.
constexpr bool in_declaration_order() {
  for (std::size_t i = 0; i < kAllReasons.size(); ++i)
    if (static_cast<std::size_t>(kAllReasons[i]) != i) return false;
  return true;
}
static_assert(in_declaration_order());

template <std::size_t... I>
std::array<metrics::Counter, sizeof...(I)> reason_counters(metrics::CounterFamily& family, std::index_sequence<I...>) {
  return {family.with({code(kAllReasons[I])})...};
}

}  // namespace

Probe::Probe(metrics::Registry& registry)
    : ok_(results(registry).with({"ok"})),
      unavailable_(results(registry).with({"unavailable"})),
      refused_(reason_counters(results(registry), std::make_index_sequence<kAllReasons.size()>())),
      // A verification is one Schnorr check and at most two Redis round
      // trips: 100 µs to a few hundred ms covers healthy and sick.
      duration_(registry
                    .histogram("marina_auth_verification_duration_seconds", "Time /verify took to answer.", {},
                               metrics::exponential_buckets(0.0001, 2.5, 10))
                    .with()),
      backend_errors_(registry.counter("marina_auth_backend_errors_total",
                                       "Redis calls of /verify that failed, by operation.", {"operation"})) {}

void Probe::verified(double seconds) {
  ok_.inc();
  duration_.observe(seconds);
}

void Probe::refused(Reason reason, double seconds) {
  refused_[static_cast<std::size_t>(reason)].inc();
  duration_.observe(seconds);
}

void Probe::unavailable(double seconds) {
  unavailable_.inc();
  duration_.observe(seconds);
}

void Probe::backend_error(std::string_view operation) { backend_errors_.with({operation}).inc(); }

}  // namespace marina::auth
