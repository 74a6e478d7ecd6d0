#pragma once
// Why /verify refused a request. Each reason's code() is stable: it is the
// problem JSON's `code`, the X-Auth-Error header the ingress rebuilds its
// answer from, and the `result` label of marina_auth_verifications_total.
#include <array>
#include <string_view>

namespace marina::auth {

enum class Reason {
  missing_authorization,  // no Authorization header
  header_too_large,       // Authorization longer than AUTH_MAX_HEADER_BYTES
  bad_scheme,             // not `Nostr <token>` (or several Authorization headers)
  bad_base64,
  bad_json,               // not a well-formed Nostr event
  bad_id,                 // id is not the event's hash
  bad_signature,
  wrong_kind,             // not 27235
  missing_tag,            // no `u` or no `method` tag
  wrong_url,              // `u` is not the absolute request URL, query included
  wrong_method,
  stale,                  // created_at older than now - AUTH_WINDOW
  future,                 // created_at later than now + AUTH_WINDOW
  payload_mismatch,       // the payload tag cannot be a SHA-256 (the body check is upstream's)
  replayed,               // a mutating request's token used a second time
  rate_limited,           // too many failures from this address this minute
};

inline constexpr std::array kAllReasons = {
    Reason::missing_authorization, Reason::header_too_large, Reason::bad_scheme,   Reason::bad_base64,
    Reason::bad_json,              Reason::bad_id,           Reason::bad_signature, Reason::wrong_kind,
    Reason::missing_tag,           Reason::wrong_url,        Reason::wrong_method, Reason::stale,
    Reason::future,                Reason::payload_mismatch, Reason::replayed,     Reason::rate_limited,
};

// "missing-authorization", "bad-scheme", ...
std::string_view code(Reason r) noexcept;
// One sentence for the problem's `detail`, telling a client developer what to fix.
std::string_view describe(Reason r) noexcept;

}  // namespace marina::auth
