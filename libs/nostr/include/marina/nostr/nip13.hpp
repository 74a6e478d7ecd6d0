#pragma once
// NIP-13 proof of work: difficulty is the number of leading zero bits of the
// event id; a `nonce` tag's third element commits to a target difficulty.
#include <optional>

#include "marina/nostr/bytes.hpp"
#include "marina/nostr/event.hpp"

namespace marina::nostr::nip13 {

// Leading zero bits of `id` (0..256).
int difficulty(const EventId& id) noexcept;

// The target committed in the first `nonce` tag (["nonce", <n>, <target>]),
// when there is one and it is a decimal integer in 0..256.
std::optional<int> committed_target(const Event& e) noexcept;

// The difficulty an event can claim: its id's difficulty, capped by its
// committed target when it has one (NIP-13: a note that committed to 30 may
// be rejected by a relay requiring 40 even if it happens to have 40 bits).
int effective_difficulty(const Event& e) noexcept;

}  // namespace marina::nostr::nip13
