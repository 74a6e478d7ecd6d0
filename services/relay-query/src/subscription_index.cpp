#include "subscription_index.hpp"

#include <algorithm>

namespace marina::relay_query {

IndexField index_field(const nostr::Filter& filter, const nostr::TagCondition** tag) noexcept {
  if (filter.ids) return IndexField::ids;
  if (filter.authors) return IndexField::authors;
  if (!filter.tags.empty()) {
    // The condition with the fewest values files the filter in the fewest buckets.
    const nostr::TagCondition* best = &filter.tags.front();
    for (const nostr::TagCondition& c : filter.tags)
      if (c.values.size() < best->values.size()) best = &c;
    if (tag != nullptr) *tag = best;
    return IndexField::tag;
  }
  if (filter.kinds) return IndexField::kinds;
  return IndexField::others;
}

template <typename Fn>
void SubscriptionIndex::for_each_bucket(const nostr::Filter& filter, bool create, Fn&& fn) {
  auto visit = [&](auto& map, const auto& key) {
    if (create) {
      fn(map[key]);
    } else if (auto it = map.find(key); it != map.end()) {
      fn(it->second);
    }
  };
  const nostr::TagCondition* tag = nullptr;
  switch (index_field(filter, &tag)) {
    case IndexField::ids:
      for (const auto& id : *filter.ids) visit(ids_, id);
      break;
    case IndexField::authors:
      for (const auto& author : *filter.authors) visit(authors_, author);
      break;
    case IndexField::tag: {
      auto letter = tags_.find(tag->letter);
      if (letter == tags_.end()) {
        if (!create) break;
        letter = tags_.emplace(tag->letter, ValueBuckets{}).first;
      }
      for (const auto& value : tag->values) visit(letter->second, value);
      break;
    }
    case IndexField::kinds:
      for (const auto kind : *filter.kinds) visit(kinds_, kind);
      break;
    case IndexField::others:
      fn(others_);
      break;
  }
}

void SubscriptionIndex::add(IndexedSubscription* sub) {
  for (std::uint32_t i = 0; i < sub->filters.size(); ++i) {
    const nostr::Filter& f = sub->filters[i];
    if (f.matches_nothing()) continue;
    for_each_bucket(f, true, [&](Bucket& bucket) { bucket.push_back(Entry{sub, i}); });
  }
  ++subscriptions_;
}

void SubscriptionIndex::erase_entry(Bucket& bucket, const IndexedSubscription* sub, std::uint32_t filter) {
  for (std::size_t i = 0; i < bucket.size(); ++i) {
    if (bucket[i].sub == sub && bucket[i].filter == filter) {
      bucket[i] = bucket.back();
      bucket.pop_back();
      return;
    }
  }
}

void SubscriptionIndex::drop_empty_buckets(const nostr::Filter& filter) {
  auto drop = [](auto& map, const auto& key) {
    if (auto it = map.find(key); it != map.end() && it->second.empty()) map.erase(it);
  };
  const nostr::TagCondition* tag = nullptr;
  switch (index_field(filter, &tag)) {
    case IndexField::ids:
      for (const auto& id : *filter.ids) drop(ids_, id);
      break;
    case IndexField::authors:
      for (const auto& author : *filter.authors) drop(authors_, author);
      break;
    case IndexField::tag:
      if (auto letter = tags_.find(tag->letter); letter != tags_.end()) {
        for (const auto& value : tag->values) drop(letter->second, value);
        if (letter->second.empty()) tags_.erase(letter);
      }
      break;
    case IndexField::kinds:
      for (const auto kind : *filter.kinds) drop(kinds_, kind);
      break;
    case IndexField::others:
      if (others_.empty()) others_.shrink_to_fit();
      break;
  }
}

void SubscriptionIndex::remove(IndexedSubscription* sub) {
  for (std::uint32_t i = 0; i < sub->filters.size(); ++i) {
    const nostr::Filter& f = sub->filters[i];
    if (f.matches_nothing()) continue;
    for_each_bucket(f, false, [&](Bucket& bucket) { erase_entry(bucket, sub, i); });
    drop_empty_buckets(f);
  }
  if (subscriptions_ > 0) --subscriptions_;
}

}  // namespace marina::relay_query
