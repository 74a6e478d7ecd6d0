#pragma once
// The request the ingress is asking about. /verify is an auth subrequest: its
// own method and path are the ingress's, and the client's request arrives in
// headers the ingress sets (and overwrites when a client sends them). They are
// trusted because only the ingress can reach auth (127.0.0.1 locally, the
// cluster network in Kubernetes).
#include <string>

#include "marina/http/request.hpp"
#include "marina/nostr/result.hpp"

namespace marina::auth {

struct OriginalRequest {
  std::string method;  // as the client sent it: "POST"
  std::string uri;     // path and query as the client sent them: "/tenant/relays?full=1"
  std::string url;     // the absolute URL the token's `u` tag must equal
};

// From X-Original-Method and either
//   X-Original-URL (ingress-nginx's auth-url sends the whole URL), or
//   X-Forwarded-Proto "://" Host X-Original-URI (the local nginx, see
//   scripts/local/nginx.conf.in).
// The error says which header is missing or malformed: the ingress is
// misconfigured, it is not the client's fault.
nostr::Result<OriginalRequest, std::string> original_request(const http::Request& verify_request);

}  // namespace marina::auth
