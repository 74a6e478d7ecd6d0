#pragma once
// Every hosted relay's events in PostgreSQL (docs/architecture.md, "Storage").
//
// One logical table of events keyed by (relay_id, id), hash-partitioned by
// relay_id; single-letter tags in their own indexed table; tombstones so a
// deleted event cannot come back. Every query is scoped to one relay_id.
//
// Writes come from relay-ingest in batches: one transaction per batch, the
// events already parsed and verified (id and signature) by the caller, and
// policy already applied. Reads come from relay-query (REQ, COUNT) and from
// tenants (export).
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "marina/nostr/event.hpp"
#include "marina/nostr/filter.hpp"
#include "marina/relay/plan_limits.hpp"

namespace marina::pg { class Pool; }

namespace marina::store {

// What the store does with an event's NIP-40 expiration tag (the relay's
// nip40_expiration_* configuration, as relay-ingest's policy reads it).
enum class Nip40 {
  refuse_expired,  // an expired event is refused; expires_at is stored (hidden once past, purged)
  keep,            // expiry on arrival was judged by the caller: stored even if past; expires_at stored
  ignore,          // the relay does not do NIP-40: stored as any event, no expires_at
};

struct WriteRequest {
  std::string relay_id;
  nostr::Event event;    // verified; event.raw is what gets stored and served
  std::string relay_url; // "wss://<sub>.<domain>" as clients know it (NIP-62 `relay` tag check)
  Nip40 nip40 = Nip40::refuse_expired;
  // The relay's plan: an event that would take the relay past its
  // max_stored_events is refused ("blocked: ..."). Deletions (NIP-09, NIP-62)
  // and new versions of a stored replaceable/addressable event add nothing
  // and are always taken, so a full relay can still be tidied. nullptr: no cap.
  std::shared_ptr<const relay::PlanLimits> plan;
};

struct WriteResult {
  bool accepted = false;  // the OK's second element
  std::string message;    // NIP-01 prefixed ("duplicate: ...", "blocked: ...") or ""
  bool publish = false;   // deliver to live subscribers (newly stored)
  // This very event (relay, id) was already stored: the "duplicate: already
  // have this event" case, as a flag so no caller has to match the message.
  bool already_stored = false;
};

struct EventStoreOptions {
  // The limit of a filter that has none (NIP-01 lets the relay choose how
  // many stored events to send before EOSE).
  std::uint64_t default_limit = 500;
  // No filter reads more than this, whatever limit it asks for (relay-query
  // clamps client limits lower, see nostr::FilterLimits::max_limit).
  std::uint64_t max_limit = 5000;
};

class EventStore {
 public:
  explicit EventStore(pg::Pool& pool, EventStoreOptions options = {});

  // Applies a batch in one transaction; results in input order. Within the
  // batch, requests apply in order (a deletion after its target deletes it).
  //  - ephemeral kinds must not be passed here (the caller publishes them);
  //  - same (relay, id) already stored -> accepted, "duplicate: already have this event";
  //  - replaceable/addressable: the newest per (pubkey, kind[, d]) stays, ties
  //    keep the lowest id; an older one is neither stored nor published and
  //    gets accepted=true, "duplicate: have a newer version of this event";
  //  - NIP-09 kind 5: deletes the author's own events named by `e` and `a`
  //    tags (and remembers them so they cannot be stored again); the deletion
  //    event itself is stored;
  //  - an event previously deleted -> accepted=false, "blocked: this event was deleted";
  //  - NIP-62 kind 62 for this relay (or ALL_RELAYS): removes the author's events
  //    up to its created_at (and gift wraps addressed to them) and refuses
  //    them afterwards ("blocked: ...");
  //  - a relay at its plan's max_stored_events (WriteRequest::plan) -> accepted=false,
  //    "blocked: this relay's plan (Free) stores at most 100000 events" (the
  //    count is relay_event_counts, migrations/0007, read under the relay's lock).
  // Throws pg errors when the transaction fails (nothing of the batch is kept).
  boost::asio::awaitable<std::vector<WriteResult>> write(std::vector<WriteRequest> batch);

  // Stored events matching any filter, each filter's limit honoured, newest
  // first (ties: lowest id first), no duplicates, events whose NIP-40
  // expiration is at or before `hidden_expired_up_to` excluded (pass the
  // current time for NIP-40 as written; relay::hidden_expired_up_to gives a
  // relay's configured bound; nullopt: none excluded). Returns the raw JSON of each event. A filter without a
  // limit gets options.default_limit; `search` (NIP-50) matches events whose
  // content has every word of it (whole words, ASCII case-insensitive,
  // `key:value` extensions ignored; see libs/store/README.md), results still
  // newest first.
  boost::asio::awaitable<std::vector<std::string>> query(const std::string& relay_id,
                                                         const std::vector<nostr::Filter>& filters,
                                                         std::optional<std::int64_t> hidden_expired_up_to);

  // NIP-45: how many stored events match any filter (limits ignored), expired
  // events left out as by query().
  boost::asio::awaitable<std::uint64_t> count(const std::string& relay_id, const std::vector<nostr::Filter>& filters,
                                              std::optional<std::int64_t> hidden_expired_up_to);

  // Deletes up to `max_rows` events whose expiration passed, oldest first;
  // returns how many. A relay's NIP-40 configuration (its relay_config rows)
  // keeps some: every one while nip40_expiration_enabled is false, and while
  // nip40_expiration_filter is false those expired for less than
  // nip40_expiration_grace_period (they are still served then).
  boost::asio::awaitable<std::size_t> purge_expired(std::int64_t now, std::size_t max_rows);

  // A relay admin's ban (NIP-86 banevent): the stored event `id_hex` of
  // `relay_id` is deleted with its tags and tombstoned under its author, so
  // the write path refuses it from then on exactly as after a NIP-09
  // deletion ("blocked: this event was deleted"). Under the relay's write
  // lock, like a batch. Returns the author's hex pubkey; nullopt when the
  // relay does not hold the event (nothing changes).
  boost::asio::awaitable<std::optional<std::string>> ban(const std::string& relay_id, const std::string& id_hex);
  // Undoes ban(): the tombstone of `id_hex` by `author_hex` goes, so the
  // event may be published again (it is not restored). False when there was none.
  boost::asio::awaitable<bool> unban(const std::string& relay_id, const std::string& id_hex,
                                     const std::string& author_hex);

  // Every stored event of a relay, oldest first, in pages of `page_size`,
  // handed to `sink` page by page (constant memory whatever the relay's size).
  // `sink` runs on the caller's executor.
  boost::asio::awaitable<void> export_all(const std::string& relay_id, std::size_t page_size,
                                          std::function<void(std::vector<std::string>&&)> sink);

  // Where an export stands between pages (keyset pagination: the last page's
  // last created_at and id). A default cursor starts at the oldest event.
  struct ExportCursor {
    std::string after_created_at = "-1";
    std::string after_id = "\\x";  // the empty bytea: unused until a page ends on a created_at
    bool done = false;               // the last page has been read
  };
  // The next page of export_all's sequence, up to `page_size` events, and
  // advances `cursor`; empty once `cursor.done`. For callers that must await
  // between pages (a streamed HTTP body waits for its client).
  boost::asio::awaitable<std::vector<std::string>> export_page(const std::string& relay_id, ExportCursor& cursor,
                                                               std::size_t page_size);

 private:
  pg::Pool& pool_;
  EventStoreOptions options_;
};

}  // namespace marina::store
