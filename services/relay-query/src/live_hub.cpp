#include "live_hub.hpp"

#include <string_view>

#include "activity_log.hpp"
#include "marina/nostr/relay_message.hpp"
#include "marina/relay/private_events.hpp"

namespace marina::relay_query {

LiveHub::LiveHub(LiveHubOptions options) : options_(options) {}

// Caller holds the relay's lock.
void LiveHub::release_buffer(LiveSubscription& sub) {
  if (sub.buffered_bytes > 0) {
    if (auto sink = sub.sink.lock()) sink->release_buffered(sub.buffered_bytes);
  }
  sub.buffered.clear();
  sub.buffered.shrink_to_fit();
  sub.buffered_bytes = 0;
}

void LiveHub::add(const std::shared_ptr<LiveSubscription>& sub) {
  std::lock_guard map_lock(relays_mu_);
  auto& state = relays_[sub->relay_id];
  if (!state) state = std::make_shared<RelayState>(options_.recent_ids);
  std::lock_guard lock(state->mu);
  if (!state->members.emplace(sub.get(), sub).second) return;
  sub->buffering = true;
  state->index.add(sub.get());
  ++total_;
}

void LiveHub::remove(const std::shared_ptr<LiveSubscription>& sub) {
  std::lock_guard map_lock(relays_mu_);
  auto it = relays_.find(sub->relay_id);
  if (it == relays_.end()) return;
  std::shared_ptr<RelayState> state = it->second;
  std::lock_guard lock(state->mu);
  auto member = state->members.find(sub.get());
  if (member == state->members.end()) return;
  state->index.remove(sub.get());
  release_buffer(*sub);
  state->members.erase(member);
  --total_;
  // A relay nobody listens to costs nothing: its index and dedup window go.
  if (state->members.empty()) relays_.erase(it);
}

LiveHub::Backlog LiveHub::go_live(const std::shared_ptr<LiveSubscription>& sub) {
  std::shared_ptr<RelayState> state;
  {
    std::lock_guard map_lock(relays_mu_);
    auto it = relays_.find(sub->relay_id);
    if (it == relays_.end()) return {};
    state = it->second;
  }
  std::lock_guard lock(state->mu);
  Backlog backlog;
  if (!state->members.contains(sub.get())) return backlog;
  backlog.events = std::move(sub->buffered);
  backlog.overflowed = sub->overflowed;
  // From here the backlog is the caller's to send (counted as it is queued).
  release_buffer(*sub);
  sub->buffering = false;
  return backlog;
}

PublishResult LiveHub::publish(const std::string& relay_id, const std::shared_ptr<const LiveEvent>& event) {
  PublishResult result;
  std::shared_ptr<RelayState> state;
  {
    std::lock_guard map_lock(relays_mu_);
    auto it = relays_.find(relay_id);
    if (it == relays_.end()) return result;
    state = it->second;
  }
  std::lock_guard lock(state->mu);
  if (state->index.empty()) return result;
  if (!state->recent.insert(event->event.id)) {
    result.outcome = PublishResult::Outcome::duplicate;
    return result;
  }
  result.outcome = PublishResult::Outcome::published;
  // ["EVENT",<sub id>,<raw>] depends only on the subscription id: built once
  // per distinct id and shared by every subscription that has it.
  std::unordered_map<std::string_view, std::shared_ptr<const std::string>> payloads;
  const std::string& raw = event->event.raw;
  // A direct message goes only to connections authenticated as its author or
  // a recipient; every other event skips the question.
  const bool private_event = relay::is_private_kind(event->event.kind);
  const bool record = options_.activity != nullptr && options_.activity->enabled();
  std::vector<std::shared_ptr<const LiveSubscription>> delivered;
  result.candidates = state->index.match(event->event, [&](IndexedSubscription* matched) {
    auto* sub = static_cast<LiveSubscription*>(matched);
    if (private_event) {
      auto sink = sub->sink.lock();
      if (!sink || !sink->may_read(event->event)) {
        ++result.withheld;
        return;
      }
    }
    if (sub->buffering) {
      ++result.buffered;
      if (sub->overflowed) return;
      auto sink = sub->sink.lock();
      if (!sink || !sink->hold_buffered(raw.size())) {
        sub->overflowed = true;
        release_buffer(*sub);
        return;
      }
      sub->buffered_bytes += raw.size();
      sub->buffered.push_back(event);
      return;
    }
    auto sink = sub->sink.lock();
    if (!sink) return;
    auto& payload = payloads[sub->id];
    if (!payload) payload = std::make_shared<const std::string>(nostr::relay_event(sub->id, raw));
    auto self = sub->shared_from_this();
    sink->deliver_live(self, payload, event->stream_ms);
    ++result.delivered;
    if (record) delivered.push_back(std::move(self));
  });
  if (record) options_.activity->broadcast(relay_id, event->event.id, delivered);
  return result;
}

bool LiveHub::has_subscribers(const std::string& relay_id) const {
  std::lock_guard map_lock(relays_mu_);
  return relays_.contains(relay_id);
}

std::size_t LiveHub::subscription_count() const {
  std::lock_guard map_lock(relays_mu_);
  return total_;
}

}  // namespace marina::relay_query
