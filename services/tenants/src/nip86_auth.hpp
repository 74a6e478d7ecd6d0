#pragma once
// Who is calling the NIP-86 relay management API, and on which relay. The
// request reaches tenants from the ingress (a POST to a relay's URL with
// Content-Type application/nostr+json+rpc, rewritten to /nip86 with the
// relay's Host kept). Checks, in order:
//   * the Host names a relay (404 otherwise);
//   * Authorization is a valid NIP-98 token (libs/nostr nip98): kind 27235,
//     fresh, method POST, `u` the URL as requested (X-Forwarded-Proto, Host,
//     X-Original-URI) or the relay's own URL (ws[s]://...), and a `payload`
//     tag equal to the body's SHA-256, which NIP-86 requires (401 otherwise);
//   * the token was not used before (the same Redis keys auth's replay guard
//     keeps, so a token spent on one door cannot be spent on another);
//   * its pubkey is the relay's owner or one of its admin_pubkeys (403).
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <stdexcept>
#include <string>

#include "marina/http/request.hpp"
#include "model.hpp"
#include "settings.hpp"

namespace marina::pg {
class Pool;
}
namespace marina::redis {
class Client;
}

namespace marina::tenants {

// A refused call: the HTTP status and NIP-86's error text.
class Nip86Refusal : public std::runtime_error {
 public:
  Nip86Refusal(int status, const std::string& message) : std::runtime_error(message), status_(status) {}
  int status() const { return status_; }

 private:
  int status_;
};

struct Nip86Caller {
  Actor actor;  // door nip86; relay_admin when not the owner
  Relay relay;
};

class Nip86Auth {
 public:
  Nip86Auth(pg::Pool& db, redis::Client& redis, const Settings& settings,
            std::chrono::seconds window = std::chrono::seconds(60));
  // Throws Nip86Refusal.
  boost::asio::awaitable<Nip86Caller> authenticate(const http::Request& request);

 private:
  pg::Pool& db_;
  redis::Client& redis_;
  const Settings& settings_;
  std::chrono::seconds window_;
};

}  // namespace marina::tenants
