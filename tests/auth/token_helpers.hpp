#pragma once
// NIP-98 tokens for the auth tests, right and wrong in one way each.
#include <cstdint>
#include <string>

#include "marina/nostr/base64.hpp"
#include "marina/nostr/event.hpp"
#include "marina/nostr/event_sign.hpp"
#include "marina/nostr/keys.hpp"

namespace marina::auth::testing {

inline constexpr std::int64_t kNow = 1'700'000'000;

inline const nostr::SecretKey& alice() {
  static const auto key = *nostr::SecretKey::from_hex("b7e151628aed2a6abf7158809cf4f3c762e7160f38b4da56a784d9045190cfef");
  return key;
}
inline const nostr::SecretKey& admin() {
  static const auto key = *nostr::SecretKey::from_hex("c90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74020bbea63b14e5c9");
  return key;
}

inline nostr::EventTemplate auth_template(std::string method, std::string url, std::int64_t created_at = kNow) {
  nostr::EventTemplate t;
  t.created_at = created_at;
  t.kind = 27235;
  t.tags = {{"u", std::move(url)}, {"method", std::move(method)}};
  return t;
}

inline std::string header_for(const nostr::EventTemplate& t, const nostr::SecretKey& key = alice()) {
  return "Nostr " + nostr::base64_encode(nostr::sign(t, key).raw);
}

// The token's JSON with one field's value replaced (the id or the sig):
// still well-formed, no longer consistent.
inline std::string header_with_replaced(const nostr::EventTemplate& t, const std::string& field) {
  auto event = nostr::sign(t, alice());
  std::string raw = event.raw;
  const std::string value = field == "id" ? event.id_hex() : event.sig_hex();
  auto at = raw.find(value);
  // Flip the last hex digit: same length, different value.
  auto& last = raw[at + value.size() - 1];
  last = last == '0' ? '1' : '0';
  return "Nostr " + nostr::base64_encode(raw);
}

}  // namespace marina::auth::testing
