#include "marina/nostr/nip98.hpp"

#include <algorithm>

#include "marina/nostr/base64.hpp"
#include "marina/nostr/event_parse.hpp"
#include "marina/nostr/event_sign.hpp"
#include "marina/nostr/hex.hpp"

namespace marina::nostr::nip98 {

namespace {

bool is_ows(char c) noexcept { return c == ' ' || c == '\t'; }

bool iequals_ascii(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x + 32);
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y + 32);
    if (x != y) return false;
  }
  return true;
}

// The token after "Nostr " (RFC 9110 credentials: scheme, 1*SP, token), or
// nullopt when the scheme is not Nostr.
std::optional<std::string_view> token_of(std::string_view header) {
  while (!header.empty() && is_ows(header.front())) header.remove_prefix(1);
  while (!header.empty() && is_ows(header.back())) header.remove_suffix(1);
  constexpr std::string_view kScheme = "nostr";
  if (header.size() <= kScheme.size() || !iequals_ascii(header.substr(0, kScheme.size()), kScheme) ||
      !is_ows(header[kScheme.size()]))
    return std::nullopt;
  header.remove_prefix(kScheme.size());
  while (!header.empty() && is_ows(header.front())) header.remove_prefix(1);
  return header;
}

}  // namespace

std::string_view to_string(Failure f) noexcept {
  switch (f) {
    case Failure::header_too_large: return "header-too-large";
    case Failure::bad_scheme: return "bad-scheme";
    case Failure::bad_base64: return "bad-base64";
    case Failure::bad_json: return "bad-json";
    case Failure::bad_id: return "bad-id";
    case Failure::bad_signature: return "bad-signature";
    case Failure::wrong_kind: return "wrong-kind";
    case Failure::stale: return "stale";
    case Failure::missing_tag: return "missing-tag";
    case Failure::wrong_url: return "wrong-url";
    case Failure::wrong_method: return "wrong-method";
    case Failure::payload_mismatch: return "payload-mismatch";
  }
  return "bad-json";
}

Result<Event, Failure> parse_token(std::string_view authorization, const Options& options) {
  if (authorization.size() > options.max_header_bytes) return err(Failure::header_too_large);
  const auto token = token_of(authorization);
  if (!token) return err(Failure::bad_scheme);
  const auto json = base64_decode(*token, Base64Padding::optional);
  if (!json || json->empty()) return err(Failure::bad_base64);

  auto parsed = parse_event(std::string_view(reinterpret_cast<const char*>(json->data()), json->size()));
  if (!parsed) return err(parsed.error().code == ParseErrorCode::id_mismatch ? Failure::bad_id : Failure::bad_json);
  return std::move(*parsed);
}

std::optional<Failure> check_claims(const Event& e, const Request& request, const Options& options) {
  if (e.kind != kKind) return Failure::wrong_kind;
  const std::int64_t window = options.window.count();
  if (e.created_at < request.now - window || e.created_at > request.now + window) return Failure::stale;

  const auto url = e.first_tag_value("u");
  const auto method = e.first_tag_value("method");
  if (!url || !method) return Failure::missing_tag;
  if (*url != request.url) return Failure::wrong_url;
  if (*method != request.method) return Failure::wrong_method;

  if (request.body_sha256) {
    const auto payload = e.first_tag_value("payload");
    if (!payload) return Failure::missing_tag;
    // Hex case is not meaningful here; compare the bytes.
    const auto claimed = payload->size() == 64 ? hex_decode(*payload) : std::nullopt;
    if (!claimed || !std::equal(claimed->begin(), claimed->end(), request.body_sha256->bytes.begin()))
      return Failure::payload_mismatch;
  }
  return std::nullopt;
}

Result<Identity, Failure> verify(std::string_view authorization, const Request& request, const Options& options) {
  auto parsed = parse_token(authorization, options);
  if (!parsed) return err(parsed.error());
  const Event& e = *parsed;
  if (!verify_signature(e)) return err(Failure::bad_signature);
  if (auto failure = check_claims(e, request, options)) return err(*failure);

  Identity id;
  id.pubkey = e.pubkey;
  id.event_id = e.id;
  id.signature = e.sig;
  id.created_at = e.created_at;
  if (const auto payload = e.first_tag_value("payload")) id.payload.emplace(*payload);
  return id;
}

std::string create_header(const SecretKey& secret, std::string_view method, std::string_view url,
                          std::int64_t created_at, const std::optional<Bytes32>& body_sha256) {
  EventTemplate t;
  t.created_at = created_at;
  t.kind = kKind;
  t.tags = {{"u", std::string(url)}, {"method", std::string(method)}};
  if (body_sha256) t.tags.push_back({"payload", body_sha256->hex()});
  const Event e = sign(t, secret);
  return "Nostr " + base64_encode(e.raw);
}

}  // namespace marina::nostr::nip98
