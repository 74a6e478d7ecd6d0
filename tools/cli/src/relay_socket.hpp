#pragma once
// A plain WebSocket connection to a relay (ws:// only, like the API client:
// TLS is the ingress's in production), for `marina relays admin`: send text
// frames, read them one at a time with a deadline. A `*.localhost` host is
// reached at 127.0.0.1 with its name in the Host header.
#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace marina::cli {

struct RelayUrl {
  std::string url;           // ws://host[:port]
  std::string host;
  std::string port;          // "80" when not given
  std::string connect_host;  // 127.0.0.1 for *.localhost, else host
  std::string host_header() const { return port == "80" ? host : host + ":" + port; }
};

// Throws std::runtime_error for a URL this client cannot use.
RelayUrl parse_relay_url(const std::string& url);

// The relay's NIP-11 document (GET / with Accept: application/nostr+json).
std::string fetch_relay_document(const RelayUrl& relay);

class RelaySocket {
 public:
  // Connects and upgrades; throws std::runtime_error naming the relay.
  explicit RelaySocket(const RelayUrl& relay);
  ~RelaySocket();
  RelaySocket(const RelaySocket&) = delete;
  RelaySocket& operator=(const RelaySocket&) = delete;

  void send(const std::string& text);
  // The next message, or nullopt once `deadline` passed.
  std::optional<std::string> read(std::chrono::steady_clock::time_point deadline);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace marina::cli
