#pragma once
// The live subscriptions of every relay on this replica, and the fan-out of
// each event from marina:events to the matching ones of its relay only.
//
// A REQ joins the hub BEFORE its stored query runs, in the buffering state:
// live events that match it meanwhile are kept, not sent. Once the stored
// events and EOSE are queued, go_live() hands back what was kept (the caller
// sends those it did not already send from storage) and switches it to
// direct delivery. Events committed between the query's snapshot and the
// switch are therefore neither missed nor repeated. What is kept is counted
// against the connection's budget (LiveSink::hold_buffered), so a client
// that reads its stored results slowly cannot make the hub hoard events.
//
// Thread safety: sessions (each on its own strand) add and remove
// subscriptions while the events consumer publishes. Each relay has its own
// index under its own mutex, so relays never contend with each other; a
// second mutex guards the relay map, held only for lookups and to create or
// drop a relay's entry. Critical sections are hash lookups, filter matches
// and posting payloads to connection strands; nothing blocks under a lock.
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "live_subscription.hpp"
#include "recent_ids.hpp"
#include "subscription_index.hpp"

namespace marina::relay_query {

class ActivityLog;

struct LiveHubOptions {
  std::size_t recent_ids = 8192;  // per relay: the dedup window
  // Where each event's deliveries are recorded (event_broadcasts); none when null.
  ActivityLog* activity = nullptr;
};

struct PublishResult {
  enum class Outcome { no_subscribers, duplicate, published };
  Outcome outcome = Outcome::no_subscribers;
  std::size_t delivered = 0;   // subscriptions it was sent to
  std::size_t buffered = 0;    // subscriptions still loading stored events that kept it
  std::size_t candidates = 0;  // filters checked
  std::size_t withheld = 0;    // matching subscriptions whose connection may not read this direct message
};

class LiveHub {
 public:
  explicit LiveHub(LiveHubOptions options = {});
  LiveHub(const LiveHub&) = delete;
  LiveHub& operator=(const LiveHub&) = delete;

  // Files `sub` under its relay, buffering.
  void add(const std::shared_ptr<LiveSubscription>& sub);
  // Unfiles `sub`; nothing more is delivered or buffered for it. Safe to call
  // for a subscription that is not filed.
  void remove(const std::shared_ptr<LiveSubscription>& sub);

  struct Backlog {
    std::vector<std::shared_ptr<const LiveEvent>> events;  // in arrival order
    bool overflowed = false;
  };
  // Ends buffering: returns what was kept and delivers directly from now on.
  Backlog go_live(const std::shared_ptr<LiveSubscription>& sub);

  // Delivers `event` to the matching subscriptions of `relay_id`. An id seen
  // recently on that relay is not delivered again.
  PublishResult publish(const std::string& relay_id, const std::shared_ptr<const LiveEvent>& event);

  // Cheap check before parsing an event nobody here listens to.
  bool has_subscribers(const std::string& relay_id) const;
  std::size_t subscription_count() const;

 private:
  struct RelayState {
    explicit RelayState(std::size_t recent) : recent(recent) {}
    std::mutex mu;
    SubscriptionIndex index;
    RecentIds recent;
    // Keeps filed subscriptions alive (the index holds raw pointers).
    std::unordered_map<const LiveSubscription*, std::shared_ptr<LiveSubscription>> members;
  };

  static void release_buffer(LiveSubscription& sub);

  LiveHubOptions options_;
  mutable std::mutex relays_mu_;
  std::unordered_map<std::string, std::shared_ptr<RelayState>> relays_;
  std::size_t total_ = 0;  // under relays_mu_
};

}  // namespace marina::relay_query
