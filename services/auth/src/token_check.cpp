#include "token_check.hpp"

#include <algorithm>
#include <cctype>

#include "marina/nostr/event.hpp"
#include "marina/nostr/nip98.hpp"

namespace marina::auth {

namespace {

Reason reason_of(nostr::nip98::Failure f) {
  using F = nostr::nip98::Failure;
  switch (f) {
    case F::header_too_large: return Reason::header_too_large;
    case F::bad_scheme: return Reason::bad_scheme;
    case F::bad_base64: return Reason::bad_base64;
    case F::bad_json: return Reason::bad_json;
    case F::bad_id: return Reason::bad_id;
    case F::bad_signature: return Reason::bad_signature;
    case F::wrong_kind: return Reason::wrong_kind;
    case F::stale: return Reason::stale;
    case F::missing_tag: return Reason::missing_tag;
    case F::wrong_url: return Reason::wrong_url;
    case F::wrong_method: return Reason::wrong_method;
    case F::payload_mismatch: return Reason::payload_mismatch;
  }
  return Reason::bad_json;
}

bool is_blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t'; });
}

// libs/nostr checks the time before the URL and reports both directions as
// `stale`. Handing it a window wider than any valid created_at switches its
// time check off; check_token's own check then runs last, in the order the
// issue gives, and tells a clock running ahead (`future`) from an old token.
nostr::nip98::Options nip98_options(const TokenRules& rules) {
  nostr::nip98::Options options;
  options.window = std::chrono::seconds(nostr::kMaxCreatedAt);
  options.max_header_bytes = rules.max_header_bytes;
  return options;
}

nostr::nip98::Request nip98_request(const OriginalRequest& request, std::int64_t now) {
  return {.method = request.method, .url = request.url, .body_sha256 = std::nullopt, .now = now};
}

bool in_window(std::int64_t created_at, std::int64_t now, const TokenRules& rules) {
  const std::int64_t window = rules.window.count();
  return created_at >= now - window && created_at <= now + window;
}

// A payload tag travels in the passport to the service that gets the body;
// one that cannot be a SHA-256 would only fail there, later and vaguer.
std::optional<std::string> payload_hash(const std::string& tag) {
  std::string hash = tag;
  std::transform(hash.begin(), hash.end(), hash.begin(), [](unsigned char c) { return std::tolower(c); });
  if (!nostr::Bytes32::from_hex(hash)) return std::nullopt;
  return hash;
}

}  // namespace

nostr::Result<Token, Reason> check_token(std::optional<std::string_view> authorization, const OriginalRequest& request,
                                         std::int64_t now, const TokenRules& rules) {
  if (!authorization || is_blank(*authorization)) return nostr::err(Reason::missing_authorization);

  auto verified = nostr::nip98::verify(*authorization, nip98_request(request, now), nip98_options(rules));
  if (!verified) return nostr::err(reason_of(verified.error()));

  const std::int64_t window = rules.window.count();
  if (verified->created_at < now - window) return nostr::err(Reason::stale);
  if (verified->created_at > now + window) return nostr::err(Reason::future);

  Token token{.pubkey = verified->pubkey, .event_id = verified->event_id,
              .signature = verified->signature,
              .created_at = verified->created_at};
  if (verified->payload) {
    auto hash = payload_hash(*verified->payload);
    if (!hash) return nostr::err(Reason::payload_mismatch);
    token.payload_sha256 = std::move(*hash);
  }
  return token;
}

TokenClaim claim_of(std::optional<std::string_view> authorization, const OriginalRequest& request, std::int64_t now,
                    const TokenRules& rules) {
  TokenClaim claim;
  if (!authorization || is_blank(*authorization)) return claim;
  const auto options = nip98_options(rules);
  auto event = nostr::nip98::parse_token(*authorization, options);
  if (!event) return claim;
  claim.pubkey = event->pubkey.hex();
  const auto payload = event->first_tag_value("payload");
  claim.plausible = !nostr::nip98::check_claims(*event, nip98_request(request, now), options) &&
                    in_window(event->created_at, now, rules) && (!payload || payload_hash(std::string(*payload)));
  return claim;
}

}  // namespace marina::auth
