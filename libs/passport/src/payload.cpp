#include "marina/passport/payload.hpp"

#include <openssl/sha.h>

#include <array>

namespace marina::passport {

std::string body_sha256_hex(std::string_view body) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  SHA256(reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest.data());
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * digest.size());
  for (unsigned char b : digest) {
    out += hex[b >> 4];
    out += hex[b & 0xf];
  }
  return out;
}

PayloadCheck check_payload(const Identity& identity, std::string_view body) {
  if (!identity.payload_sha256) return body.empty() ? PayloadCheck::ok : PayloadCheck::missing;
  // Passports only carry lowercase hex (Signer::verify refuses anything else),
  // so equal digests are equal strings.
  return *identity.payload_sha256 == body_sha256_hex(body) ? PayloadCheck::ok : PayloadCheck::mismatch;
}

}  // namespace marina::passport
