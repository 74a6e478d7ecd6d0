#include "marina/nostr/nip19.hpp"

#include <openssl/crypto.h>

#include <stdexcept>

#include "bech32.hpp"

namespace marina::nostr::nip19 {

namespace {

constexpr std::size_t kMaxLength = 5000;  // NIP-19's bound

enum Tlv : std::uint8_t { kSpecial = 0, kRelay = 1, kAuthor = 2, kKind = 3 };

Result<std::vector<std::uint8_t>, Error> decode_with_prefix(std::string_view text, std::string_view prefix) {
  auto d = bech32_decode(text);
  if (!d) return err(d.error());
  if (d->prefix != prefix) return err(Error::wrong_prefix);
  return std::move(d->data);
}

template <class Fixed>
Result<Fixed, Error> decode_fixed(std::string_view text, std::string_view prefix) {
  auto data = decode_with_prefix(text, prefix);
  if (!data) return err(data.error());
  if (data->size() != Fixed::size()) return err(Error::bad_length);
  return Fixed::from_span(std::span<const std::uint8_t, Fixed::size()>(data->data(), Fixed::size()));
}

struct TlvEntry {
  std::uint8_t type;
  std::span<const std::uint8_t> value;
};

// Splits TLV bytes; nullopt if an entry runs past the end.
std::optional<std::vector<TlvEntry>> split_tlv(const std::vector<std::uint8_t>& data) {
  std::vector<TlvEntry> out;
  std::size_t i = 0;
  while (i < data.size()) {
    if (i + 2 > data.size()) return std::nullopt;
    const std::uint8_t type = data[i];
    const std::size_t len = data[i + 1];
    if (i + 2 + len > data.size()) return std::nullopt;
    out.push_back({type, std::span<const std::uint8_t>(data.data() + i + 2, len)});
    i += 2 + len;
  }
  return out;
}

void append_tlv(std::vector<std::uint8_t>& out, std::uint8_t type, std::span<const std::uint8_t> value) {
  out.push_back(type);
  out.push_back(static_cast<std::uint8_t>(value.size()));
  out.insert(out.end(), value.begin(), value.end());
}

void append_relays(std::vector<std::uint8_t>& out, const std::vector<std::string>& relays) {
  for (const std::string& r : relays) {
    // A TLV value holds at most 255 bytes; a longer relay URL cannot be
    // encoded, and truncating it would point somewhere else.
    if (r.size() > 255) throw std::invalid_argument("nip19: relay URL longer than 255 bytes");
    append_tlv(out, kRelay, std::span(reinterpret_cast<const std::uint8_t*>(r.data()), r.size()));
  }
}

}  // namespace

std::string_view to_string(Error e) noexcept {
  switch (e) {
    case Error::too_long: return "too-long";
    case Error::bad_encoding: return "bad-encoding";
    case Error::bad_checksum: return "bad-checksum";
    case Error::wrong_prefix: return "wrong-prefix";
    case Error::bad_length: return "bad-length";
    case Error::missing_field: return "missing-field";
    case Error::bad_tlv: return "bad-tlv";
    case Error::invalid_key: return "invalid-key";
  }
  return "bad-encoding";
}

Result<Bech32Data, Error> bech32_decode(std::string_view text) {
  auto d = detail::bech32_decode_words(text, kMaxLength);
  switch (d.status) {
    case detail::Bech32Status::ok: break;
    case detail::Bech32Status::too_long: return err(Error::too_long);
    case detail::Bech32Status::bad_encoding: return err(Error::bad_encoding);
    case detail::Bech32Status::bad_checksum: return err(Error::bad_checksum);
  }
  auto bytes = detail::words_to_bytes(d.words);
  if (!bytes) return err(Error::bad_encoding);
  return Bech32Data{std::move(d.hrp), std::move(*bytes)};
}

std::string bech32_encode(std::string_view prefix, const std::vector<std::uint8_t>& data) {
  return detail::bech32_encode_words(prefix, detail::bytes_to_words(data));
}

std::string encode_npub(const PublicKey& key) {
  return bech32_encode("npub", std::vector<std::uint8_t>(key.bytes.begin(), key.bytes.end()));
}
std::string encode_note(const EventId& id) {
  return bech32_encode("note", std::vector<std::uint8_t>(id.bytes.begin(), id.bytes.end()));
}
std::string encode_nsec(const SecretKey& key) {
  std::vector<std::uint8_t> bytes(key.bytes().begin(), key.bytes().end());
  std::string out = bech32_encode("nsec", bytes);
  OPENSSL_cleanse(bytes.data(), bytes.size());
  return out;
}

Result<PublicKey, Error> decode_npub(std::string_view text) { return decode_fixed<PublicKey>(text, "npub"); }
Result<EventId, Error> decode_note(std::string_view text) { return decode_fixed<EventId>(text, "note"); }
Result<SecretKey, Error> decode_nsec(std::string_view text) {
  auto data = decode_with_prefix(text, "nsec");
  if (!data) return err(data.error());
  if (data->size() != 32) return err(Error::bad_length);
  auto key = SecretKey::from_bytes(*data);
  OPENSSL_cleanse(data->data(), data->size());
  if (!key) return err(Error::invalid_key);
  return std::move(*key);
}

Result<ProfilePointer, Error> decode_nprofile(std::string_view text) {
  auto data = decode_with_prefix(text, "nprofile");
  if (!data) return err(data.error());
  auto entries = split_tlv(*data);
  if (!entries) return err(Error::bad_tlv);
  std::optional<PublicKey> pubkey;
  ProfilePointer p;
  for (const TlvEntry& e : *entries) {
    if (e.type == kSpecial) {
      if (e.value.size() != 32) return err(Error::bad_tlv);
      if (!pubkey) pubkey = PublicKey::from_span(e.value.first<32>());
    } else if (e.type == kRelay) {
      p.relays.emplace_back(reinterpret_cast<const char*>(e.value.data()), e.value.size());
    }
  }
  if (!pubkey) return err(Error::missing_field);
  p.pubkey = *pubkey;
  return p;
}

Result<EventPointer, Error> decode_nevent(std::string_view text) {
  auto data = decode_with_prefix(text, "nevent");
  if (!data) return err(data.error());
  auto entries = split_tlv(*data);
  if (!entries) return err(Error::bad_tlv);
  std::optional<EventId> id;
  EventPointer p;
  for (const TlvEntry& e : *entries) {
    switch (e.type) {
      case kSpecial:
        if (e.value.size() != 32) return err(Error::bad_tlv);
        if (!id) id = EventId::from_span(e.value.first<32>());
        break;
      case kRelay: p.relays.emplace_back(reinterpret_cast<const char*>(e.value.data()), e.value.size()); break;
      case kAuthor:
        if (e.value.size() != 32) return err(Error::bad_tlv);
        if (!p.author) p.author = PublicKey::from_span(e.value.first<32>());
        break;
      case kKind:
        if (e.value.size() != 4) return err(Error::bad_tlv);
        if (!p.kind)
          p.kind = (std::uint32_t{e.value[0]} << 24) | (std::uint32_t{e.value[1]} << 16) |
                   (std::uint32_t{e.value[2]} << 8) | e.value[3];
        break;
      default: break;  // unknown TLV types are ignored (NIP-19)
    }
  }
  if (!id) return err(Error::missing_field);
  p.id = *id;
  return p;
}

std::string encode_nprofile(const ProfilePointer& p) {
  std::vector<std::uint8_t> tlv;
  append_tlv(tlv, kSpecial, p.pubkey.bytes);
  append_relays(tlv, p.relays);
  return bech32_encode("nprofile", tlv);
}

std::string encode_nevent(const EventPointer& p) {
  std::vector<std::uint8_t> tlv;
  append_tlv(tlv, kSpecial, p.id.bytes);
  append_relays(tlv, p.relays);
  if (p.author) append_tlv(tlv, kAuthor, p.author->bytes);
  if (p.kind) {
    const std::uint32_t k = *p.kind;
    const std::uint8_t be[4] = {static_cast<std::uint8_t>(k >> 24), static_cast<std::uint8_t>(k >> 16),
                                static_cast<std::uint8_t>(k >> 8), static_cast<std::uint8_t>(k)};
    append_tlv(tlv, kKind, be);
  }
  return bech32_encode("nevent", tlv);
}

}  // namespace marina::nostr::nip19
