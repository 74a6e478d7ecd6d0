#pragma once
// One REQ as the live fan-out sees it, and the connection it delivers to.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "marina/nostr/event.hpp"
#include "marina/nostr/filter.hpp"
#include "subscription_index.hpp"

namespace marina::relay_query {

// An event read from marina:events, parsed once and shared by every
// subscription it goes to. event.raw holds the exact bytes that are sent.
struct LiveEvent {
  nostr::Event event;
  std::int64_t stream_ms = 0;  // when relay-ingest added it to marina:events (its entry id)
};

struct LiveSubscription;

// What a subscription delivers to: the client connection.
class LiveSink {
 public:
  virtual ~LiveSink() = default;
  // Queues `payload` (["EVENT",<sub id>,<event>]) for `sub`'s connection.
  // Called from the fan-out with the hub's lock held: must not block and
  // must not call into the hub.
  virtual void deliver_live(const std::shared_ptr<LiveSubscription>& sub, std::shared_ptr<const std::string> payload,
                            std::int64_t stream_ms) = 0;
  // Accounts `bytes` of live events kept for one of this connection's
  // subscriptions while its stored events load. False when the connection's
  // bound is reached: that subscription then overflows. Called with the
  // hub's lock held, like deliver_live.
  virtual bool hold_buffered(std::size_t bytes) = 0;
  virtual void release_buffered(std::size_t bytes) = 0;
  // Whether this connection may receive a private event (a direct message:
  // libs/relay private_events.hpp). Asked only for those, before one is
  // buffered or delivered, with the hub's lock held, like deliver_live.
  virtual bool may_read(const nostr::Event& private_event) const = 0;
};

struct LiveSubscription : IndexedSubscription, std::enable_shared_from_this<LiveSubscription> {
  LiveSubscription(std::string relay, std::string sub_id, std::vector<nostr::Filter> f, std::weak_ptr<LiveSink> s)
      : relay_id(std::move(relay)), id(std::move(sub_id)), sink(std::move(s)) {
    filters = std::move(f);
  }

  const std::string relay_id;
  const std::string id;  // the client's subscription id
  const std::weak_ptr<LiveSink> sink;
  // The connection's id (replica:number) for the activity log; set before
  // the subscription is filed, never changed after.
  std::string client_id;

  // Owned by the hub, under its lock. While the stored events of the REQ
  // are being loaded and sent, matching live events are kept here instead of
  // being delivered (see LiveHub::go_live).
  bool buffering = true;
  std::vector<std::shared_ptr<const LiveEvent>> buffered;
  std::size_t buffered_bytes = 0;  // held from the sink's budget
  bool overflowed = false;         // more arrived than the connection may hold: the REQ is CLOSED

  // Owned by the connection, on its strand: false once CLOSEd or replaced,
  // so deliveries already on their way are dropped.
  bool active = true;
  bool in_hub = false;
};

}  // namespace marina::relay_query
