// The fan-out's cost with and without the activity log (relay-query's
// subscription and broadcast logs, activity_log.hpp): one event published to
// N live subscriptions of one relay, each on its own connection. The
// difference between the two runs is what recording the deliveries adds to
// the hot path (the flush to PostgreSQL runs elsewhere and is not measured).
#include <benchmark/benchmark.h>

#include <memory>
#include <vector>

#include "activity_log.hpp"
#include "live_hub.hpp"
#include "live_subscription.hpp"
#include "marina/nostr/event_sign.hpp"
#include "marina/nostr/keys.hpp"

namespace marina::relay_query {
namespace {

class NullSink : public LiveSink {
 public:
  void deliver_live(const std::shared_ptr<LiveSubscription>&, std::shared_ptr<const std::string>, std::int64_t) override {}
  bool hold_buffered(std::size_t) override { return true; }
  void release_buffered(std::size_t) override {}
  bool may_read(const nostr::Event&) const override { return true; }
};

void publish(benchmark::State& state, bool record) {
  // The default bound (1000 rows per relay) keeps the log's memory flat across
  // iterations while every delivery is still recorded (the oldest dropped).
  ActivityLog log(record ? 1000 : 0);
  LiveHub hub(LiveHubOptions{.recent_ids = 16, .activity = &log});
  const std::string relay = "00000000-0000-4000-8000-000000000001";
  auto sink = std::make_shared<NullSink>();
  std::vector<std::shared_ptr<LiveSubscription>> subs;
  for (int i = 0; i < state.range(0); ++i) {
    nostr::Filter f;
    f.kinds = std::vector<nostr::Kind>{1};
    auto sub = std::make_shared<LiveSubscription>(relay, "sub", std::vector<nostr::Filter>{f}, sink);
    sub->client_id = "replica:" + std::to_string(i);
    hub.add(sub);
    hub.go_live(sub);
    subs.push_back(sub);
  }
  const auto key = nostr::SecretKey::generate();
  std::vector<std::shared_ptr<const LiveEvent>> events;
  for (int i = 0; i < 64; ++i) {
    nostr::EventTemplate t;
    t.created_at = 1700000000 + i;
    t.kind = 1;
    t.content = "note " + std::to_string(i);
    auto live = std::make_shared<LiveEvent>();
    live->event = nostr::sign(t, key);
    events.push_back(live);
  }
  std::size_t n = 0;
  for (auto _ : state) {
    // More distinct events than the relay's dedup window, so each is delivered.
    benchmark::DoNotOptimize(hub.publish(relay, events[n++ % events.size()]));
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}

void BM_PublishWithoutActivityLog(benchmark::State& state) { publish(state, false); }
void BM_PublishWithActivityLog(benchmark::State& state) { publish(state, true); }

BENCHMARK(BM_PublishWithoutActivityLog)->Arg(10)->Arg(1000);
BENCHMARK(BM_PublishWithActivityLog)->Arg(10)->Arg(1000);

}  // namespace
}  // namespace marina::relay_query
