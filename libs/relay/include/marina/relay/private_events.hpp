#pragma once
// Private events (direct messages): NIP-04 DMs (kind 4), NIP-59 gift wraps
// (1059) and, should they ever be published bare, the NIP-17 chat message
// (14) and NIP-59 seal (13) meant to travel inside a wrap. Every hosted
// relay, whatever its configuration, serves one only to a connection that
// authenticated (NIP-42) as its author or as a recipient named in a `p` tag.
//
// The rule and the filter arithmetic relay-query needs to apply it in the
// database (so a `limit` counts only what the client may read), kept pure
// and separate from the session so it can be tested against brute force.
#include <span>
#include <vector>

#include "marina/nostr/event.hpp"
#include "marina/nostr/filter.hpp"

namespace marina::relay {

// The private kinds, sorted.
inline constexpr nostr::Kind kPrivateKinds[] = {4, 13, 14, 1059};

constexpr bool is_private_kind(nostr::Kind kind) noexcept {
  return kind == 4 || kind == 13 || kind == 14 || kind == 1059;
}

// `readers` (sorted) may read `event`: it is not private, or one of them is
// its author or is named by one of its `p` tags.
bool readable_by(const nostr::Event& event, std::span<const nostr::PublicKey> readers) noexcept;

// Some filter can match a private event: it names a private kind or has no
// `kinds` at all. False for most REQs (`{"kinds":[1]}`): they pay nothing.
bool may_match_private(const std::vector<nostr::Filter>& filters) noexcept;

// Some filter asks for private kinds only ("kinds":[4], "kinds":[1059,4]):
// a client that has not authenticated is told to (NIP-42 `auth-required:`).
bool asks_only_private(const std::vector<nostr::Filter>& filters) noexcept;

// Filters that match exactly the events of `filters` that `readers` (sorted)
// may read, as far as filters can say it. A filter naming kinds is split: its
// public kinds unchanged, its private kinds narrowed to events authored by a
// reader, and to events whose `p` names a reader (left as it is when its
// `authors` or its `#p` already name readers only). A filter without
// `kinds` cannot be narrowed to "not private" and is kept as it is:
// `unkinded` says so, and its results must then be checked one by one
// (readable_by). Readers empty: private kinds are dropped altogether.
// What filters cannot say: a private event addressed both to a reader and to
// someone else that the filter's `#p` names (but not the reader) is left out
// (one condition per tag letter); never is an unreadable event let in.
struct ReadableFilters {
  std::vector<nostr::Filter> filters;
  bool unkinded = false;
};
ReadableFilters readable_filters(const std::vector<nostr::Filter>& filters,
                                 std::span<const nostr::PublicKey> readers);

// The filters without `kinds` among `filters`, narrowed to the private kinds
// (what they can match that readers may not be allowed to read). COUNT uses
// it: readable count = count(readable_filters) - count(this)
//                      + count(readable_filters(this).filters).
std::vector<nostr::Filter> unkinded_private_part(const std::vector<nostr::Filter>& filters);

}  // namespace marina::relay
