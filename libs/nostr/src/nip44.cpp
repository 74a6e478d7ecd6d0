#include "marina/nostr/nip44.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <secp256k1.h>
#include <secp256k1_ecdh.h>

#include <algorithm>
#include <bit>
#include <climits>
#include <memory>
#include <stdexcept>
#include <vector>

#include "marina/nostr/base64.hpp"
#include "marina/nostr/random.hpp"
#include "marina/nostr/sha256.hpp"
#include "secp_context.hpp"

namespace marina::nostr::nip44 {

namespace {

constexpr std::uint8_t kVersion = 2;
constexpr std::size_t kNonceSize = 32;
constexpr std::size_t kMacSize = 32;
constexpr std::size_t kMinPayloadChars = 132;  // base64 of the smallest payload
constexpr std::size_t kMinPayloadBytes = 99;   // 1 + 32 + (2 + 32) + 32
constexpr std::uint64_t kExtendedThreshold = 65536;

using Bytes = std::span<const std::uint8_t>;

Bytes as_bytes(std::string_view s) { return Bytes(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()); }

// libsecp256k1's ECDH hashes the shared point by default; NIP-44 wants the
// bare x coordinate, so this "hash" returns x unchanged.
int copy_x_coordinate(unsigned char* output, const unsigned char* x32, const unsigned char*, void*) {
  std::copy(x32, x32 + 32, output);
  return 1;
}

std::uint64_t effective_max(const Limits& limits) noexcept {
  return std::clamp<std::uint64_t>(limits.max_plaintext_bytes, 1, kMaxExtendedPlaintext);
}

std::size_t prefix_size(std::uint64_t plaintext_length) noexcept {
  return plaintext_length >= kExtendedThreshold ? 6 : 2;
}

// Length of the base64 text for a payload carrying `plaintext_length` bytes.
std::uint64_t payload_chars_for(std::uint64_t plaintext_length) noexcept {
  const std::uint64_t raw = 1 + kNonceSize + prefix_size(plaintext_length) + padded_length(plaintext_length) + kMacSize;
  return (raw + 2) / 3 * 4;
}

const EVP_CIPHER* chacha20() {
  static EVP_CIPHER* cipher = [] {
    EVP_CIPHER* c = EVP_CIPHER_fetch(nullptr, "ChaCha20", nullptr);
    if (c == nullptr) throw std::runtime_error("OpenSSL: ChaCha20 is not available");
    return c;
  }();
  return cipher;
}

struct CipherCtxDeleter {
  void operator()(EVP_CIPHER_CTX* c) const noexcept { EVP_CIPHER_CTX_free(c); }
};

// ChaCha20 (RFC 8439) with initial block counter 0, in place. OpenSSL's
// "ChaCha20" takes a 16-byte IV: the 32-bit block counter in little-endian
// followed by the 96-bit nonce, so the IV is 4 zero bytes then the nonce.
void chacha20_xor(const MessageKeys& keys, std::span<std::uint8_t> data) {
  std::array<std::uint8_t, 16> iv{};
  std::copy(keys.chacha_nonce.begin(), keys.chacha_nonce.end(), iv.begin() + 4);
  std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter> ctx(EVP_CIPHER_CTX_new());
  if (!ctx || EVP_EncryptInit_ex2(ctx.get(), chacha20(), keys.chacha_key.data(), iv.data(), nullptr) != 1)
    throw std::runtime_error("OpenSSL: ChaCha20 init failed");
  // EVP_EncryptUpdate takes an int length; the stream continues across calls.
  std::size_t done = 0;
  while (done < data.size()) {
    const int n = static_cast<int>(std::min<std::size_t>(data.size() - done, INT_MAX / 2));
    int out = 0;
    if (EVP_EncryptUpdate(ctx.get(), data.data() + done, &out, data.data() + done, n) != 1 || out != n)
      throw std::runtime_error("OpenSSL: ChaCha20 failed");
    done += static_cast<std::size_t>(n);
  }
}

Bytes32 mac_of(const MessageKeys& keys, Bytes nonce, Bytes ciphertext) {
  return hmac_sha256(keys.hmac_key, {nonce, ciphertext});
}

std::uint64_t read_be(const std::uint8_t* p, int n) noexcept {
  std::uint64_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | p[i];
  return v;
}

}  // namespace

std::string_view to_string(Error e) noexcept {
  switch (e) {
    case Error::invalid_secret_key: return "invalid secret key";
    case Error::invalid_public_key: return "invalid public key";
    case Error::invalid_plaintext_length: return "invalid plaintext length";
    case Error::unknown_version: return "unknown encryption version";
    case Error::invalid_payload_size: return "invalid payload size";
    case Error::invalid_base64: return "invalid base64";
    case Error::invalid_mac: return "invalid MAC";
    case Error::invalid_padding: return "invalid padding";
  }
  return "invalid payload";
}

Result<ConversationKey, Error> conversation_key(const Bytes32& secret, const PublicKey& peer) {
  const secp256k1_context* ctx = detail::secp_context();
  if (secp256k1_ec_seckey_verify(ctx, secret.data()) != 1) return err(Error::invalid_secret_key);
  // An x-only key stands for the point with even y; ECDH's x result is the
  // same for either y, so the compressed form 0x02||x is exact.
  std::array<std::uint8_t, 33> compressed{};
  compressed[0] = 0x02;
  std::copy(peer.bytes.begin(), peer.bytes.end(), compressed.begin() + 1);
  secp256k1_pubkey point;
  if (secp256k1_ec_pubkey_parse(ctx, &point, compressed.data(), compressed.size()) != 1)
    return err(Error::invalid_public_key);
  std::array<std::uint8_t, 32> shared_x{};
  if (secp256k1_ecdh(ctx, shared_x.data(), &point, secret.data(), copy_x_coordinate, nullptr) != 1)
    return err(Error::invalid_secret_key);
  static constexpr std::string_view kSalt = "nip44-v2";
  const Bytes32 key = hmac_sha256(as_bytes(kSalt), {shared_x});  // HKDF-extract
  OPENSSL_cleanse(shared_x.data(), shared_x.size());
  return key;
}

Result<ConversationKey, Error> conversation_key(const SecretKey& secret, const PublicKey& peer) {
  Bytes32 raw = Bytes32::from_span(secret.bytes());
  auto key = conversation_key(raw, peer);
  OPENSSL_cleanse(raw.data(), raw.size());
  return key;
}

MessageKeys message_keys(const ConversationKey& key, const Bytes32& nonce) {
  // HKDF-expand (RFC 5869) to 76 bytes: T(i) = HMAC(PRK, T(i-1) || info || i).
  std::array<std::uint8_t, 96> okm{};
  Bytes previous;
  for (std::uint8_t i = 1; i <= 3; ++i) {
    const std::uint8_t counter[1] = {i};
    const Bytes32 t = hmac_sha256(key.bytes, {previous, nonce.bytes, counter});
    std::copy(t.bytes.begin(), t.bytes.end(), okm.begin() + (i - 1) * 32);
    previous = Bytes(okm.data() + (i - 1) * 32, 32);
  }
  MessageKeys keys;
  std::copy(okm.begin(), okm.begin() + 32, keys.chacha_key.begin());
  std::copy(okm.begin() + 32, okm.begin() + 44, keys.chacha_nonce.begin());
  std::copy(okm.begin() + 44, okm.begin() + 76, keys.hmac_key.begin());
  OPENSSL_cleanse(okm.data(), okm.size());
  return keys;
}

std::uint64_t padded_length(std::uint64_t n) noexcept {
  if (n <= 32) return 32;
  const std::uint64_t next_power = std::uint64_t{1} << std::bit_width(n - 1);
  const std::uint64_t chunk = next_power <= 256 ? 32 : next_power / 8;
  return chunk * ((n - 1) / chunk + 1);
}

Result<std::string, Error> encrypt(std::string_view plaintext, const ConversationKey& key, const Bytes32& nonce,
                                   const Limits& limits) {
  const std::uint64_t len = plaintext.size();
  if (len == 0 || len > effective_max(limits)) return err(Error::invalid_plaintext_length);

  const std::size_t prefix = prefix_size(len);
  std::vector<std::uint8_t> buffer(1 + kNonceSize + prefix + padded_length(len) + kMacSize, 0);
  buffer[0] = kVersion;
  std::copy(nonce.bytes.begin(), nonce.bytes.end(), buffer.begin() + 1);
  std::uint8_t* padded = buffer.data() + 1 + kNonceSize;
  if (prefix == 2) {
    padded[0] = static_cast<std::uint8_t>(len >> 8);
    padded[1] = static_cast<std::uint8_t>(len);
  } else {  // [0, 0, u32 big-endian]
    for (int i = 0; i < 4; ++i) padded[2 + i] = static_cast<std::uint8_t>(len >> (24 - 8 * i));
  }
  std::copy(plaintext.begin(), plaintext.end(), padded + prefix);

  const MessageKeys keys = message_keys(key, nonce);
  const std::span<std::uint8_t> body(padded, buffer.size() - 1 - kNonceSize - kMacSize);
  chacha20_xor(keys, body);  // in place: no plaintext copy is left behind
  const Bytes32 mac = mac_of(keys, nonce.bytes, body);
  std::copy(mac.bytes.begin(), mac.bytes.end(), buffer.end() - kMacSize);
  return base64_encode(buffer);
}

Result<std::string, Error> encrypt(std::string_view plaintext, const ConversationKey& key, const Limits& limits) {
  return encrypt(plaintext, key, random_bytes32(), limits);
}

Result<std::string, Error> decrypt(std::string_view payload, const ConversationKey& key, const Limits& limits) {
  if (!payload.empty() && payload[0] == '#') return err(Error::unknown_version);
  if (payload.size() < kMinPayloadChars || payload.size() > payload_chars_for(effective_max(limits)))
    return err(Error::invalid_payload_size);
  auto data = base64_decode(payload, Base64Padding::required);
  if (!data) return err(Error::invalid_base64);
  if (data->size() < kMinPayloadBytes) return err(Error::invalid_payload_size);
  if ((*data)[0] != kVersion) return err(Error::unknown_version);

  const Bytes32 nonce = Bytes32::from_span(std::span<const std::uint8_t, 32>(data->data() + 1, 32));
  const Bytes ciphertext(data->data() + 1 + kNonceSize, data->size() - 1 - kNonceSize - kMacSize);
  const Bytes mac(data->data() + data->size() - kMacSize, kMacSize);

  const MessageKeys keys = message_keys(key, nonce);
  const Bytes32 expected = mac_of(keys, nonce.bytes, ciphertext);
  if (CRYPTO_memcmp(expected.data(), mac.data(), kMacSize) != 0) return err(Error::invalid_mac);

  std::vector<std::uint8_t> padded(ciphertext.begin(), ciphertext.end());
  chacha20_xor(keys, padded);

  // Unpad: a 2-byte length, or 0x0000 then a 4-byte length (extended form).
  std::uint64_t len = read_be(padded.data(), 2);
  std::size_t prefix = 2;
  if (len == 0) {
    if (effective_max(limits) < kExtendedThreshold || padded.size() < 6) return err(Error::invalid_padding);
    len = read_be(padded.data() + 2, 4);
    prefix = 6;
    if (len < kExtendedThreshold) return err(Error::invalid_padding);
  }
  if (len > effective_max(limits) || padded.size() != prefix + padded_length(len)) return err(Error::invalid_padding);
  std::string plaintext(reinterpret_cast<const char*>(padded.data()) + prefix, len);
  OPENSSL_cleanse(padded.data(), padded.size());
  return plaintext;
}

}  // namespace marina::nostr::nip44
