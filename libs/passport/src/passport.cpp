#include "marina/passport/passport.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <charconv>
#include <stdexcept>
#include <vector>

namespace marina::passport {

namespace {

bool is_lower_hex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::vector<std::string_view> split_dots(std::string_view s) {
  std::vector<std::string_view> parts;
  while (true) {
    auto dot = s.find('.');
    parts.push_back(s.substr(0, dot));
    if (dot == std::string_view::npos) break;
    s.remove_prefix(dot + 1);
  }
  return parts;
}

}  // namespace

std::string_view to_string(Role r) { return r == Role::admin ? "admin" : "tenant"; }

std::string_view code(Failure f) {
  switch (f) {
    case Failure::missing: return "passport-missing";
    case Failure::malformed: return "passport-malformed";
    case Failure::bad_signature: return "passport-bad-signature";
    case Failure::expired: return "passport-expired";
    case Failure::wrong_request: return "passport-wrong-request";
  }
  return "passport-malformed";
}

Signer::Signer(std::string secret, std::chrono::seconds lifetime) : secret_(std::move(secret)), lifetime_(lifetime) {
  if (secret_.size() < 32) throw std::invalid_argument("passport secret must be at least 32 bytes");
}

std::string Signer::mac(std::string_view signed_part, std::string_view method, std::string_view uri) const {
  std::string msg;
  msg.reserve(signed_part.size() + method.size() + uri.size() + 2);
  msg.append(signed_part).append(".").append(method).append(".").append(uri);
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()),
       reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), out.data(), &len);
  static constexpr char hex[] = "0123456789abcdef";
  std::string h;
  h.reserve(len * 2);
  for (unsigned i = 0; i < len; ++i) {
    h += hex[out[i] >> 4];
    h += hex[out[i] & 0xf];
  }
  return h;
}

std::string Signer::issue(const Identity& id, std::string_view method, std::string_view uri,
                          std::int64_t now_unix) const {
  std::string signed_part = "v1." + id.pubkey + "." + std::string(to_string(id.role)) + "." +
                            id.payload_sha256.value_or("-") + "." + std::to_string(now_unix + lifetime_.count());
  return signed_part + "." + mac(signed_part, method, uri);
}

Result Signer::verify(std::string_view passport, std::string_view method, std::string_view uri,
                      std::int64_t now_unix) const {
  Result r;
  if (passport.empty()) return r;
  r.failure = Failure::malformed;
  auto parts = split_dots(passport);
  if (parts.size() != 6 || parts[0] != "v1") return r;
  auto pubkey = parts[1], role = parts[2], payload = parts[3], expires = parts[4], tag = parts[5];
  if (pubkey.size() != 64 || !is_lower_hex(pubkey)) return r;
  if (role != "tenant" && role != "admin") return r;
  if (payload != "-" && (payload.size() != 64 || !is_lower_hex(payload))) return r;
  std::int64_t exp = 0;
  auto [p, ec] = std::from_chars(expires.data(), expires.data() + expires.size(), exp);
  if (ec != std::errc() || p != expires.data() + expires.size()) return r;
  if (tag.size() != 64 || !is_lower_hex(tag)) return r;

  std::string_view signed_part = passport.substr(0, passport.size() - tag.size() - 1);
  std::string expected = mac(signed_part, method, uri);
  if (CRYPTO_memcmp(expected.data(), tag.data(), expected.size()) != 0) {
    // Either forged, or minted for another request: tell them apart only by
    // recomputation without the request binding would leak nothing useful, so
    // both are a bad signature from the caller's point of view.
    r.failure = Failure::bad_signature;
    return r;
  }
  if (exp < now_unix) {
    r.failure = Failure::expired;
    return r;
  }
  Identity id;
  id.pubkey = std::string(pubkey);
  id.role = role == "admin" ? Role::admin : Role::tenant;
  if (payload != "-") id.payload_sha256 = std::string(payload);
  r.identity = std::move(id);
  return r;
}

}  // namespace marina::passport
