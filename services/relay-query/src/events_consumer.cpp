#include "events_consumer.hpp"

#include "live_hub.hpp"
#include "marina/core/clock.hpp"
#include "marina/core/log.hpp"
#include "marina/nostr/event_parse.hpp"
#include "marina/nostr/nip40.hpp"
#include "marina/relay/event_policy.hpp"
#include "marina/relay/expiration.hpp"
#include "marina/store/relay_directory.hpp"
#include "marina/streams/contracts.hpp"
#include "query_probe.hpp"

namespace marina::relay_query {

boost::asio::awaitable<void> EventsConsumer::run() {
  while (!follower_.stopped()) {
    redis::StreamFollower::Batch batch = co_await follower_.next();
    if (batch.resumed) probe_.stream_reconnected("events");
    const std::int64_t now = core::unix_ms();
    for (const auto& entry : batch.entries) handle(entry, now);
  }
}

void EventsConsumer::handle(const redis::StreamEntry& entry, std::int64_t now_ms) {
  const std::int64_t entry_ms = redis::stream_id_ms(entry.id).value_or(0);
  if (entry_ms > 0) probe_.events_stream_lag(static_cast<double>(std::max<std::int64_t>(0, now_ms - entry_ms)) / 1000.0);
  streams::AcceptedEvent accepted;
  try {
    accepted = streams::AcceptedEvent::decode(entry.fields);
  } catch (const streams::ContractError& e) {
    log::warn("ignoring a malformed accepted-event entry", {{"entry", entry.id}, {"error", e.what()}});
    probe_.live_event(LiveResult::malformed);
    return;
  }
  // Most events have no listener on this replica: skip the parse for them.
  if (!hub_.has_subscribers(accepted.relay_id)) {
    probe_.live_event(LiveResult::no_subscribers);
    return;
  }
  // relay-ingest checked the id and the signature before it stored the event.
  auto parsed = nostr::parse_event(accepted.event_json, nostr::EventParseOptions{.check_id = false});
  if (!parsed) {
    log::warn("ignoring an unparseable accepted event", {{"entry", entry.id}, {"error", parsed.error().message}});
    probe_.live_event(LiveResult::malformed);
    return;
  }
  // NIP-40: an event that expired on its way here is not delivered, as its
  // relay's configuration says (the relay is in the directory: it has
  // subscribers here; one missing is read with the default configuration).
  if (const auto expiration = nostr::nip40::expiration(*parsed)) {
    const auto relay = directory_.cached_by_id(accepted.relay_id);
    if (relay::hidden_as_expired(relay::config_of(relay ? relay->config : nullptr), expiration, now_ms / 1000)) {
      probe_.live_event(LiveResult::expired);
      return;
    }
  }
  auto live = std::make_shared<LiveEvent>();
  live->event = std::move(parsed).value();
  live->stream_ms = entry_ms;
  const PublishResult result = hub_.publish(accepted.relay_id, live);
  switch (result.outcome) {
    case PublishResult::Outcome::no_subscribers: probe_.live_event(LiveResult::no_subscribers); break;
    case PublishResult::Outcome::duplicate: probe_.live_event(LiveResult::duplicate); break;
    case PublishResult::Outcome::published:
      probe_.live_event(result.delivered > 0  ? LiveResult::delivered
                        : result.buffered > 0 ? LiveResult::buffered
                                              : LiveResult::unmatched);
      if (result.withheld > 0) probe_.private_events_withheld(true, result.withheld);
      break;
  }
}

}  // namespace marina::relay_query
