#pragma once
// The live subscriptions of one relay, indexed so that a new event costs a few
// hash lookups plus the real matches, not a scan over every subscription
// (the idea of strfry's ActiveMonitors).
//
// Each filter is filed under ONE of its fields, the most selective present:
// ids > authors > one tag condition (the one with the fewest values) > kinds;
// a filter with none of them goes to "all others". An event then looks up its
// id, its pubkey, each of its (letter, value) tags and its kind, plus the
// "all others" list; every filter found that way is a candidate and is
// checked with the full Filter::matches (since, until, search, the other
// fields). A subscription is reported once per event however many of its
// filters match.
//
// Not thread-safe: the owner (LiveHub) holds a lock around every call.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "marina/nostr/event.hpp"
#include "marina/nostr/filter.hpp"

namespace marina::relay_query {

// A subscription as the index sees it.
struct IndexedSubscription {
  std::vector<nostr::Filter> filters;
  // The index's sequence number of the last event this subscription matched:
  // what reports it once per event. Owned by the index.
  std::uint64_t matched_event = 0;
};

// The field a filter is filed under.
enum class IndexField { ids, authors, tag, kinds, others };

// The field `filter` is filed under; for IndexField::tag, `*tag` is the
// condition used.
IndexField index_field(const nostr::Filter& filter, const nostr::TagCondition** tag = nullptr) noexcept;

class SubscriptionIndex {
 public:
  // Files every filter of `sub` that can match an event (a filter that
  // matches_nothing() is left out). `sub` must stay valid and its filters
  // unchanged until remove(sub).
  void add(IndexedSubscription* sub);
  void remove(IndexedSubscription* sub);

  // Calls on_match(IndexedSubscription*) once for each subscription with a
  // filter matching `event`. on_match must not add or remove subscriptions.
  // Returns how many candidate filters were checked (the cost of the event).
  template <typename OnMatch>
  std::size_t match(const nostr::Event& event, OnMatch&& on_match);

  std::size_t size() const noexcept { return subscriptions_; }
  bool empty() const noexcept { return subscriptions_ == 0; }

 private:
  struct Entry {
    IndexedSubscription* sub;
    std::uint32_t filter;  // index into sub->filters
  };
  using Bucket = std::vector<Entry>;

  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  using ValueBuckets = std::unordered_map<std::string, Bucket, StringHash, std::equal_to<>>;

  // Calls fn(bucket) for each bucket the filter belongs in, creating them
  // when `create` (add) and skipping missing ones otherwise (remove).
  template <typename Fn>
  void for_each_bucket(const nostr::Filter& filter, bool create, Fn&& fn);
  static void erase_entry(Bucket& bucket, const IndexedSubscription* sub, std::uint32_t filter);
  void drop_empty_buckets(const nostr::Filter& filter);

  std::unordered_map<nostr::EventId, Bucket> ids_;
  std::unordered_map<nostr::PublicKey, Bucket> authors_;
  std::unordered_map<char, ValueBuckets> tags_;
  std::unordered_map<nostr::Kind, Bucket> kinds_;
  Bucket others_;
  std::size_t subscriptions_ = 0;
  std::uint64_t sequence_ = 0;
};

template <typename OnMatch>
std::size_t SubscriptionIndex::match(const nostr::Event& event, OnMatch&& on_match) {
  const std::uint64_t seq = ++sequence_;
  std::size_t candidates = 0;
  auto visit = [&](const Bucket& bucket) {
    for (const Entry& e : bucket) {
      ++candidates;
      if (e.sub->matched_event == seq) continue;  // already reported for this event
      if (e.sub->filters[e.filter].matches(event)) {
        e.sub->matched_event = seq;
        on_match(e.sub);
      }
    }
  };
  if (!ids_.empty())
    if (auto it = ids_.find(event.id); it != ids_.end()) visit(it->second);
  if (!authors_.empty())
    if (auto it = authors_.find(event.pubkey); it != authors_.end()) visit(it->second);
  if (!tags_.empty()) {
    for (const nostr::Tag& tag : event.tags) {
      // Filters match a tag's first value, and only single-letter tag names.
      if (tag.size() < 2 || tag[0].size() != 1) continue;
      auto letter = tags_.find(tag[0][0]);
      if (letter == tags_.end()) continue;
      if (auto it = letter->second.find(std::string_view(tag[1])); it != letter->second.end()) visit(it->second);
    }
  }
  if (!kinds_.empty())
    if (auto it = kinds_.find(event.kind); it != kinds_.end()) visit(it->second);
  visit(others_);
  return candidates;
}

}  // namespace marina::relay_query
