#include "marina/nostr/nip42.hpp"

#include "marina/core/ascii.hpp"
#include "marina/nostr/event_sign.hpp"

namespace marina::nostr::nip42 {

namespace {

bool all_digits(std::string_view s) noexcept {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace

std::string_view to_string(Failure f) noexcept {
  switch (f) {
    case Failure::wrong_kind: return "wrong-kind";
    case Failure::bad_id: return "bad-id";
    case Failure::bad_signature: return "bad-signature";
    case Failure::stale: return "stale";
    case Failure::missing_relay: return "missing-relay";
    case Failure::wrong_relay: return "wrong-relay";
    case Failure::missing_challenge: return "missing-challenge";
    case Failure::wrong_challenge: return "wrong-challenge";
  }
  return "wrong-relay";
}

std::optional<std::string> normalize_relay_url(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  const std::string scheme = core::ascii_lower(url.substr(0, scheme_end));
  if (scheme != "ws" && scheme != "wss") return std::nullopt;
  std::string_view rest = url.substr(scheme_end + 3);
  rest = rest.substr(0, rest.find('#'));  // the fragment never reaches the server

  const auto authority_end = rest.find_first_of("/?");
  const std::string_view authority = rest.substr(0, authority_end);
  std::string_view path_and_query = authority_end == std::string_view::npos ? "" : rest.substr(authority_end);
  if (authority.empty() || authority.find('@') != std::string_view::npos) return std::nullopt;

  // host[:port], with IPv6 literals in brackets.
  std::string_view host = authority, port;
  if (authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = authority.substr(0, close + 1);
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return std::nullopt;
      port = after.substr(1);
    }
  } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty() || !all_digits(port)) return std::nullopt;
  while (port.size() > 1 && port.front() == '0') port.remove_prefix(1);
  const bool default_port = port.empty() || (scheme == "ws" && port == "80") || (scheme == "wss" && port == "443");

  std::string_view path = path_and_query.substr(0, path_and_query.find('?'));
  const std::string_view query =
      path.size() < path_and_query.size() ? path_and_query.substr(path.size()) : std::string_view{};
  if (path.size() > 1 && path.back() == '/') path.remove_suffix(1);

  std::string out = scheme + "://" + core::ascii_lower(host);
  if (!default_port) out.append(":").append(port);
  out.append(path.empty() ? "/" : path);
  out.append(query);
  return out;
}

Result<PublicKey, Failure> verify(const Event& auth, std::string_view relay_url, std::string_view challenge,
                                  std::int64_t now, const Options& options) {
  if (auth.kind != kKind) return err(Failure::wrong_kind);
  if (!has_valid_id(auth)) return err(Failure::bad_id);
  if (!verify_signature(auth)) return err(Failure::bad_signature);
  const std::int64_t window = options.window.count();
  if (auth.created_at < now - window || auth.created_at > now + window) return err(Failure::stale);

  const auto relay = auth.first_tag_value("relay");
  if (!relay) return err(Failure::missing_relay);
  auto claimed = normalize_relay_url(*relay);
  auto ours = normalize_relay_url(relay_url);
  if (!claimed || !ours) return err(Failure::wrong_relay);
  if (!options.scheme_must_match) {
    claimed->erase(0, claimed->find("://"));
    ours->erase(0, ours->find("://"));
  }
  if (*claimed != *ours) return err(Failure::wrong_relay);

  const auto sent = auth.first_tag_value("challenge");
  if (!sent) return err(Failure::missing_challenge);
  if (*sent != challenge) return err(Failure::wrong_challenge);
  return auth.pubkey;
}

Event create_auth_event(const SecretKey& secret, std::string_view relay_url, std::string_view challenge,
                        std::int64_t created_at) {
  EventTemplate t;
  t.created_at = created_at;
  t.kind = kKind;
  t.tags = {{"relay", std::string(relay_url)}, {"challenge", std::string(challenge)}};
  return sign(t, secret);
}

}  // namespace marina::nostr::nip42
