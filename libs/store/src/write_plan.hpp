#pragma once
// Deciding what a batch of one relay does, without the database.
//
// The write path reads, under the relay's lock, what the database holds that
// the batch touches (PriorState, read for LookupKeys), then replays the batch
// in order against it in memory (plan_writes): duplicates, tombstones,
// replacement, deletion and vanish all resolve here, so the database work
// is a handful of set-based statements whatever the batch holds (WritePlan).
// Keeping the rules here, pure, is also what lets them be tested one by one.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "address.hpp"
#include "marina/store/event_store.hpp"

namespace marina::store::detail {

// A stored event as far as the rules care.
struct StoredEvent {
  nostr::EventId id;
  nostr::PublicKey pubkey;
  nostr::Kind kind = 0;
  std::int64_t created_at = 0;
};

// What the database holds that matters to a batch.
struct PriorState {
  // Stored events among LookupKeys::ids.
  std::unordered_map<nostr::EventId, StoredEvent> stored;
  // NIP-09 `e` tombstones: deleted id -> the pubkeys that asked.
  std::unordered_map<nostr::EventId, std::vector<nostr::PublicKey>> deleted_ids;
  // NIP-09 `a` tombstones: address -> versions up to this created_at are deleted.
  std::unordered_map<Address, std::int64_t, AddressHash> deleted_addresses;
  // NIP-62: pubkey -> everything up to this created_at is gone.
  std::unordered_map<nostr::PublicKey, std::int64_t> vanished;
  // The stored version at each of LookupKeys::addresses.
  std::unordered_map<Address, StoredEvent, AddressHash> current;
  // How many events the relay stores (relay_event_counts).
  std::int64_t stored_count = 0;
};

// The keys PriorState must be read for.
struct LookupKeys {
  std::vector<nostr::EventId> ids;        // the batch's ids and its `e` deletion targets
  std::vector<nostr::PublicKey> pubkeys;  // authors, and gift-wrap recipients (vanish)
  std::vector<Address> addresses;         // the batch's replaceable/addressable addresses
};

LookupKeys lookup_keys(std::span<const WriteRequest* const> batch);

struct WritePlan {
  std::vector<WriteResult> results;    // one per request, in order
  std::vector<std::size_t> inserts;    // requests to store, by position
  std::vector<nostr::EventId> delete_ids;  // stored events to delete (replaced, deleted by `e`)
  // Delete every stored version up to the created_at, and remember it.
  std::vector<std::pair<Address, std::int64_t>> address_deletions;
  // Delete everything by the pubkey, and gift wraps to it, up to the created_at; remember it.
  std::vector<std::pair<nostr::PublicKey, std::int64_t>> vanishes;
  // NIP-09 `e`: (deleted id, pubkey that asked).
  std::vector<std::pair<nostr::EventId, nostr::PublicKey>> id_tombstones;
};

// Replays `batch` (all of one relay, in order) against `prior`. `now` is
// the wall clock (unix seconds) for NIP-40.
WritePlan plan_writes(std::span<const WriteRequest* const> batch, const PriorState& prior, std::int64_t now);

// Messages of the write path, shared with tests.
namespace message {
inline constexpr const char* duplicate = "duplicate: already have this event";
inline constexpr const char* replaced = "duplicate: have a newer version of this event";
inline constexpr const char* deleted = "blocked: this event was deleted";
inline constexpr const char* vanished = "blocked: this pubkey asked this relay to forget it (NIP-62)";
inline constexpr const char* recipient_vanished = "blocked: the recipient asked this relay to forget it (NIP-62)";
inline constexpr const char* expired = "invalid: this event has expired";
inline constexpr const char* nul_in_d = "invalid: the d tag contains a NUL character";
inline constexpr const char* ephemeral = "error: ephemeral events are not stored";
// "blocked: this relay's plan (Free) stores at most 100000 events"
std::string plan_full(const relay::PlanLimits& plan);
}  // namespace message

}  // namespace marina::store::detail
