#pragma once
// NIP-98 HTTP Auth: `Authorization: Nostr <base64 of a signed kind 27235
// event>` whose `u` tag is the absolute request URL and whose `method` tag
// is the HTTP method, created within a time window of now.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "marina/nostr/bytes.hpp"
#include "marina/nostr/event.hpp"
#include "marina/nostr/keys.hpp"
#include "marina/nostr/result.hpp"

namespace marina::nostr::nip98 {

inline constexpr Kind kKind = 27235;

// Why a header was refused. Each has a stable string (to_string) for logs,
// metrics labels and the 401 body.
enum class Failure {
  header_too_large,  // "header-too-large": longer than Options::max_header_bytes
  bad_scheme,        // "bad-scheme": not `Nostr <token>`
  bad_base64,        // "bad-base64"
  bad_json,          // "bad-json": not a well-formed event (parse_event's rules)
  bad_id,            // "bad-id": id is not the hash of the event
  bad_signature,     // "bad-signature"
  wrong_kind,        // "wrong-kind": not 27235
  stale,             // "stale": created_at outside now ± window
  missing_tag,       // "missing-tag": no `u`, no `method`, or (when the body is checked) no `payload`
  wrong_url,         // "wrong-url"
  wrong_method,      // "wrong-method"
  payload_mismatch,  // "payload-mismatch": payload tag is not the body's SHA-256
};
std::string_view to_string(Failure f) noexcept;

struct Options {
  // Accepted distance between created_at and now, both past and future.
  std::chrono::seconds window{60};
  std::size_t max_header_bytes = 16 * 1024;
};

// What the request was. `url` must be the absolute URL the client used,
// query included: NIP-98 requires an exact match.
struct Request {
  std::string_view method;
  std::string_view url;
  // SHA-256 of the request body, when the server wants the body bound to the
  // token: then the event must carry a matching `payload` tag. nullopt
  // skips the check (GET, or a server that does not check bodies).
  std::optional<Bytes32> body_sha256;
  std::int64_t now = 0;  // unix seconds
};

struct Identity {
  PublicKey pubkey;
  EventId event_id;
  // For replay protection: remember it for the window. The signature, not
  // the id, names one token: a client that signs the same request twice in
  // one second gets two ids that are equal but two signatures that are not
  // (BIP-340 signing is randomized), and a BIP-340 signature cannot be
  // altered into another valid one without the secret key.
  Signature signature;
  std::int64_t created_at = 0;
  std::optional<std::string> payload;  // the payload tag's value, if any
};

// `authorization` is the header value (e.g. "Nostr eyJ..."). The scheme is
// case-insensitive (RFC 9110); the token may be padded or not. Checks, in
// order: size, scheme, base64, event format, id (parse_token), signature,
// then kind, time, url, method, payload (check_claims).
Result<Identity, Failure> verify(std::string_view authorization, const Request& request, const Options& options = {});

// The two halves of verify() around the signature check, for a server that
// must decide how much work a token is worth before checking its signature
// (an event from parse_token is NOT authenticated: anyone can write one).
// parse_token: size, scheme, base64, event format and id.
Result<Event, Failure> parse_token(std::string_view authorization, const Options& options = {});
// check_claims: kind, time, url, method and payload; nullopt when they all hold.
std::optional<Failure> check_claims(const Event& event, const Request& request, const Options& options = {});

// A signed token for `method url`: the full header value "Nostr <base64>".
// `body_sha256` adds the `payload` tag.
std::string create_header(const SecretKey& secret, std::string_view method, std::string_view url,
                          std::int64_t created_at, const std::optional<Bytes32>& body_sha256 = std::nullopt);

}  // namespace marina::nostr::nip98
