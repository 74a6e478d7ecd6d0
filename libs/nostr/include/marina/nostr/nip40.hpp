#pragma once
// NIP-40 expiration: ["expiration", "<unix seconds>"].
#include <cstdint>
#include <optional>

#include "marina/nostr/event.hpp"

namespace marina::nostr::nip40 {

// The first `expiration` tag's timestamp. nullopt when there is none or its
// value is not a decimal integer in [0, kMaxCreatedAt] (NIP-40 gives a
// malformed value no meaning, so the event is treated as not expiring).
std::optional<std::int64_t> expiration(const Event& e) noexcept;

// Expired at `now` (unix seconds): the expiration time has been reached.
bool is_expired(const Event& e, std::int64_t now) noexcept;

}  // namespace marina::nostr::nip40
