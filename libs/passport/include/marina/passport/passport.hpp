#pragma once
// The identity `auth` hands to the API services through the ingress.
//
// auth verifies a request's NIP-98 token once and answers the ingress with
// X-Auth-Passport: the caller's pubkey, role and payload hash, bound to the
// request's method and URI and to a short expiry, HMAC-SHA256-signed with a
// secret only the platform's services hold (PASSPORT_SECRET). tenants and
// billing accept a request only with a valid passport for that very request,
// so one that bypasses the ingress, or forges the X-Auth-* headers, is refused.
//
// Wire form (one header value, no spaces):
//   v1.<pubkey hex>.<role>.<payload hex or "-">.<expires unix s>.<hmac hex>
// where the HMAC covers "v1.<pubkey>.<role>.<payload>.<expires>.<METHOD>.<URI>".
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace marina::passport {

enum class Role { tenant, admin };
std::string_view to_string(Role r);

struct Identity {
  std::string pubkey;              // 64 lowercase hex
  Role role = Role::tenant;
  std::optional<std::string> payload_sha256;  // hex, when the NIP-98 token carried one
};

// Why a passport was refused; `code` is stable and goes into problem JSON.
enum class Failure { missing, malformed, bad_signature, expired, wrong_request };
std::string_view code(Failure f);

struct Result {
  std::optional<Identity> identity;
  Failure failure = Failure::missing;
  bool ok() const { return identity.has_value(); }
};

class Signer {
 public:
  // `secret` must be at least 32 bytes of entropy (the services refuse less).
  explicit Signer(std::string secret, std::chrono::seconds lifetime = std::chrono::seconds(30));

  std::string issue(const Identity& id, std::string_view method, std::string_view uri,
                    std::int64_t now_unix) const;
  Result verify(std::string_view passport, std::string_view method, std::string_view uri,
                std::int64_t now_unix) const;

 private:
  std::string mac(std::string_view signed_part, std::string_view method, std::string_view uri) const;
  std::string secret_;
  std::chrono::seconds lifetime_;
};

}  // namespace marina::passport
