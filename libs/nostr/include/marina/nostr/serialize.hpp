#pragma once
// JSON writing for events: the canonical serialization that the event id is
// the SHA-256 of, and the compact event JSON.
//
// Escaping (append_json_string) follows NIP-01: \n \" \\ \r \t \b \f are
// written as those two-character escapes and everything else verbatim,
// except the remaining control characters 0x00-0x1f, which are written as
// \u00XX with lowercase hex. NIP-01's list does not name them, but writing
// them raw would make invalid JSON that no parser reads back, and \u00XX is
// exactly what JSON.stringify and the other widely used implementations
// emit, so ids agree across the network. Non-ASCII text, DEL (0x7f),
// U+2028/U+2029 and emoji are written as their UTF-8 bytes, unescaped.
#include <cstdint>
#include <string>
#include <string_view>

#include "marina/nostr/bytes.hpp"
#include "marina/nostr/event.hpp"

namespace marina::nostr {

// Appends `utf8` as a quoted JSON string. The input must be valid UTF-8
// (parse_event guarantees it for parsed events; sign() checks it).
void append_json_string(std::string& out, std::string_view utf8);

// `[0,"<pubkey>",<created_at>,<kind>,<tags>,"<content>"]`, byte for byte.
void append_canonical(std::string& out, const PublicKey& pubkey, std::int64_t created_at, Kind kind,
                      const Tags& tags, std::string_view content);
std::string canonical_serialization(const PublicKey& pubkey, std::int64_t created_at, Kind kind, const Tags& tags,
                                    std::string_view content);

EventId compute_event_id(const PublicKey& pubkey, std::int64_t created_at, Kind kind, const Tags& tags,
                         std::string_view content);
inline EventId compute_event_id(const Event& e) {
  return compute_event_id(e.pubkey, e.created_at, e.kind, e.tags, e.content);
}

// Compact JSON of all seven fields in NIP-01's order (what sign() puts in
// Event::raw).
std::string event_to_json(const Event& e);

// `tags` as a JSON array of arrays of strings.
void append_tags_json(std::string& out, const Tags& tags);

// True when `s` is valid UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool is_valid_utf8(std::string_view s) noexcept;

}  // namespace marina::nostr
