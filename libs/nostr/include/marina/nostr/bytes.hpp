#pragma once
// Fixed-size byte strings with a distinct type per meaning, so an event id can
// never be passed where a public key is expected. They hold raw bytes (not
// hex): comparisons, hashing and sorting are plain memcmp on 32 or 64 bytes,
// which keeps filter matching and indexing cheap.
#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace marina::nostr {

// Lowercase hex of `bytes` written to `out` (2 * bytes.size() chars).
void hex_encode_to(std::span<const std::uint8_t> bytes, char* out) noexcept;
// Decodes exactly out.size() bytes from 2 * out.size() lowercase hex chars.
// False on any other length or any char outside [0-9a-f].
bool lower_hex_decode_to(std::string_view hex, std::span<std::uint8_t> out) noexcept;

template <std::size_t N, class Tag>
struct FixedBytes {
  static constexpr std::size_t size() noexcept { return N; }
  static constexpr std::size_t hex_size() noexcept { return 2 * N; }

  std::array<std::uint8_t, N> bytes{};

  const std::uint8_t* data() const noexcept { return bytes.data(); }
  std::uint8_t* data() noexcept { return bytes.data(); }
  std::span<const std::uint8_t, N> span() const noexcept { return std::span<const std::uint8_t, N>(bytes); }

  static FixedBytes from_span(std::span<const std::uint8_t, N> s) noexcept {
    FixedBytes b;
    std::memcpy(b.bytes.data(), s.data(), N);
    return b;
  }
  // Strict: exactly 2N lowercase hex characters, as NIP-01 requires on the wire.
  static std::optional<FixedBytes> from_hex(std::string_view hex) noexcept {
    FixedBytes b;
    if (!lower_hex_decode_to(hex, b.bytes)) return std::nullopt;
    return b;
  }
  std::string hex() const {
    std::string s(2 * N, '\0');
    hex_encode_to(bytes, s.data());
    return s;
  }
  void append_hex(std::string& out) const {
    const std::size_t at = out.size();
    out.resize(at + 2 * N);
    hex_encode_to(bytes, out.data() + at);
  }
  bool is_zero() const noexcept {
    for (auto b : bytes)
      if (b != 0) return false;
    return true;
  }

  friend bool operator==(const FixedBytes& a, const FixedBytes& b) noexcept {
    return std::memcmp(a.bytes.data(), b.bytes.data(), N) == 0;
  }
  friend std::strong_ordering operator<=>(const FixedBytes& a, const FixedBytes& b) noexcept {
    return std::memcmp(a.bytes.data(), b.bytes.data(), N) <=> 0;
  }
};

struct EventIdTag {};
struct PublicKeyTag {};
struct SignatureTag {};
struct Hash32Tag {};

// SHA-256 of the canonical serialization (NIP-01).
using EventId = FixedBytes<32, EventIdTag>;
// BIP-340 x-only public key.
using PublicKey = FixedBytes<32, PublicKeyTag>;
// BIP-340 signature.
using Signature = FixedBytes<64, SignatureTag>;
// Any other 32 bytes: digests, nonces, symmetric keys.
using Bytes32 = FixedBytes<32, Hash32Tag>;

}  // namespace marina::nostr

// Hash support so ids and keys can key unordered containers. The bytes are
// already uniformly distributed (hashes and curve points), so the first 8
// bytes are a good hash.
template <std::size_t N, class Tag>
struct std::hash<marina::nostr::FixedBytes<N, Tag>> {
  std::size_t operator()(const marina::nostr::FixedBytes<N, Tag>& b) const noexcept {
    std::size_t h;
    std::memcpy(&h, b.bytes.data(), sizeof h);
    return h;
  }
};
