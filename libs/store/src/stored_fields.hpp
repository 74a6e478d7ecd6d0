#pragma once
// How an event is spread over the columns of `events` and `event_tags`
// (migrations/0003_events.sql), and how bytea comes back from the server.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "marina/nostr/bytes.hpp"
#include "marina/nostr/event.hpp"

namespace marina::store::detail {

// NIP-50 indexes the content of every kind except those whose content is
// ciphertext (NIP-04 DMs, NIP-59 seals and gift wraps): their words are
// noise, and indexing them would only cost space. nullopt for those; else
// the content with any NUL removed (PostgreSQL text cannot hold one).
std::optional<std::string> searchable_content(const nostr::Event& e);

// A tag goes to event_tags when NIP-01 filters can name it: a single-letter
// name (a-z, A-Z) and a value. Values with a NUL cannot be stored as text
// and so are not indexed (no filter can name them either: see filter_key).
bool is_indexed_tag(const nostr::Tag& tag);

// event_tag_key() of migrations/0003: the value itself up to 200 bytes,
// else the hex md5 of it.
std::string tag_key(std::string_view value);

// Decodes a bytea in the server's hex output format ("\x0a1b...") of exactly
// N bytes; nullopt otherwise.
template <std::size_t N, class Tag>
std::optional<nostr::FixedBytes<N, Tag>> bytes_from_pg(std::string_view text) {
  if (text.size() != 2 + 2 * N || text[0] != '\\' || text[1] != 'x') return std::nullopt;
  return nostr::FixedBytes<N, Tag>::from_hex(text.substr(2));
}

}  // namespace marina::store::detail
