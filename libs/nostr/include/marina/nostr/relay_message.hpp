#pragma once
// Messages a relay sends (NIP-01, NIP-42, NIP-45), built as strings with
// no JSON library: these are on the hot path of every subscription.
//
// Texts (subscription ids, messages, challenges) are JSON-escaped; any byte
// sequence that is not valid UTF-8 is replaced by U+FFFD, so a message that
// quotes client input is still valid JSON.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "marina/nostr/bytes.hpp"

namespace marina::nostr {

// The machine-readable prefixes of OK and CLOSED messages (NIP-01, NIP-42).
enum class Prefix {
  duplicate,
  pow,
  blocked,
  rate_limited,
  invalid,
  restricted,
  auth_required,
  error,
  mute,
  unsupported,  // NIP-01's example for a filter the relay does not support
};

// "duplicate", "pow", ..., "rate-limited", "auth-required", ...
std::string_view to_string(Prefix p) noexcept;

// "<prefix>: <text>", the form NIP-01 requires for OK false and CLOSED.
std::string prefixed(Prefix p, std::string_view text);

// ["EVENT",<sub>,<raw event JSON>] — `raw_event` is inserted verbatim.
std::string relay_event(std::string_view subscription_id, std::string_view raw_event);
// ["OK",<id>,<accepted>,<message>]
std::string relay_ok(const EventId& id, bool accepted, std::string_view message);
std::string relay_ok(const EventId& id, bool accepted, Prefix p, std::string_view text);
// ["EOSE",<sub>]
std::string relay_eose(std::string_view subscription_id);
// ["CLOSED",<sub>,<message>]
std::string relay_closed(std::string_view subscription_id, std::string_view message);
std::string relay_closed(std::string_view subscription_id, Prefix p, std::string_view text);
// ["NOTICE",<message>]
std::string relay_notice(std::string_view message);
// ["AUTH",<challenge>]
std::string relay_auth(std::string_view challenge);
// ["COUNT",<sub>,{"count":<n>[,"approximate":<bool>]}]
std::string relay_count(std::string_view subscription_id, std::uint64_t count,
                        std::optional<bool> approximate = std::nullopt);

// Appends `text` as a JSON string, replacing invalid UTF-8 with U+FFFD.
void append_json_string_lossy(std::string& out, std::string_view text);

}  // namespace marina::nostr
