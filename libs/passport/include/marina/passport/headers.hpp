#pragma once
// The identity headers auth answers the ingress with and the ingress forwards
// upstream (scripts/local/proxy_authenticated.conf, the chart's
// auth-response-headers): one spelling shared by the issuer and the checkers.
#include <string_view>

namespace marina::passport {

inline constexpr std::string_view kPubkeyHeader = "X-Auth-Pubkey";
inline constexpr std::string_view kRoleHeader = "X-Auth-Role";
inline constexpr std::string_view kPayloadHeader = "X-Auth-Payload";
inline constexpr std::string_view kPassportHeader = "X-Auth-Passport";

}  // namespace marina::passport
