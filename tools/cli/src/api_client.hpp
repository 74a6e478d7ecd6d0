#pragma once
// One NIP-98-signed HTTP request to the hosting API, made by the CLI itself.
//
// The base URL (`--api`, else $MARINA_API, else http://api.localhost:8080) is
// what the token's `u` tag names, exactly as the server sees it. A `*.localhost`
// host is reached at 127.0.0.1 with the Host header (no DNS needed for a local
// platform). Plain http only: TLS is the ingress's business in production and
// this client does not speak it yet (an https URL is refused with a message).
#include <functional>
#include <optional>
#include <string>

#include "marina/nostr/keys.hpp"

namespace marina::cli {

struct ApiBase {
  std::string url;   // as given, without a trailing '/'
  std::string host;  // host name
  std::string port;  // "80" when not given
  std::string connect_host;  // 127.0.0.1 for *.localhost, else host
};

// Throws std::runtime_error for a URL this client cannot use.
ApiBase parse_api_base(const std::string& url);

struct ApiResponse {
  int status = 0;
  std::string content_type;
  std::string body;
};

class ApiClient {
 public:
  ApiClient(ApiBase base, nostr::SecretKey key);
  // Without a key: requests carry no Authorization (public routes, GET /plans).
  explicit ApiClient(ApiBase base);

  // `target` is the path with its query ("/tenant/relays?limit=5"). A body is
  // sent as `content_type` and bound to the token by its payload tag.
  ApiResponse request(const std::string& method, const std::string& target, const std::string& body = {},
                      const std::string& content_type = "application/json");

  // GET that hands the body to `sink` piece by piece as it arrives (export),
  // so the client's memory does not grow with the answer. Returns the status
  // and, for an error answer, its (small) body.
  ApiResponse stream(const std::string& target, const std::function<void(std::string_view)>& sink);

 private:
  std::string authorization(const std::string& method, const std::string& target, const std::string* body) const;
  ApiBase base_;
  std::optional<nostr::SecretKey> key_;
};

}  // namespace marina::cli
