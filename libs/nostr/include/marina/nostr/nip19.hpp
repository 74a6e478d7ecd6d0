#pragma once
// NIP-19 bech32 entities: npub, nsec, note (bare 32 bytes) and the TLV forms
// nprofile and nevent. Bech32 here is BIP-173 bech32 (not bech32m), with
// NIP-19's length bound of 5000 chars instead of BIP-173's 90.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "marina/nostr/bytes.hpp"
#include "marina/nostr/keys.hpp"
#include "marina/nostr/result.hpp"

namespace marina::nostr::nip19 {

enum class Error {
  too_long,        // more than 5000 chars
  bad_encoding,    // mixed case, a char outside the alphabet, no separator, bad padding
  bad_checksum,
  wrong_prefix,    // e.g. an nsec where an npub was asked for
  bad_length,      // payload of the wrong size
  missing_field,   // TLV without its required entry
  bad_tlv,         // truncated TLV, or a known entry of the wrong size
  invalid_key,     // nsec out of range
};
std::string_view to_string(Error e) noexcept;

std::string encode_npub(const PublicKey& key);
std::string encode_nsec(const SecretKey& key);
std::string encode_note(const EventId& id);

Result<PublicKey, Error> decode_npub(std::string_view text);
Result<SecretKey, Error> decode_nsec(std::string_view text);
Result<EventId, Error> decode_note(std::string_view text);

struct ProfilePointer {
  PublicKey pubkey;
  std::vector<std::string> relays;
};
struct EventPointer {
  EventId id;
  std::vector<std::string> relays;
  std::optional<PublicKey> author;
  std::optional<std::uint32_t> kind;
};

// Unknown TLV types are skipped (NIP-19 says to ignore them).
Result<ProfilePointer, Error> decode_nprofile(std::string_view text);
Result<EventPointer, Error> decode_nevent(std::string_view text);
// Throw std::invalid_argument for a relay URL longer than 255 bytes (a TLV
// value cannot hold it).
std::string encode_nprofile(const ProfilePointer& p);
std::string encode_nevent(const EventPointer& p);

// The generic layer, for prefixes this header does not name.
struct Bech32Data {
  std::string prefix;  // lowercase human-readable part
  std::vector<std::uint8_t> data;
};
Result<Bech32Data, Error> bech32_decode(std::string_view text);
std::string bech32_encode(std::string_view prefix, const std::vector<std::uint8_t>& data);

}  // namespace marina::nostr::nip19
