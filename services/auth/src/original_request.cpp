#include "original_request.hpp"

namespace marina::auth {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
      return false;
  }
  return true;
}

// Nothing in a URL may be a control character or a space: a header value
// with one was not written by the ingress.
bool is_url_text(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
  }
  return !s.empty();
}

}  // namespace

nostr::Result<OriginalRequest, std::string> original_request(const http::Request& req) {
  OriginalRequest o;
  auto method = trim(req.header("X-Original-Method").value_or(""));
  if (!is_token(method)) return nostr::err(std::string("X-Original-Method is missing or not a method"));
  o.method = std::string(method);

  if (auto full = trim(req.header("X-Original-URL").value_or("")); !full.empty()) {
    auto scheme_end = full.find("://");
    if (scheme_end == std::string_view::npos || scheme_end == 0 || !is_url_text(full))
      return nostr::err(std::string("X-Original-URL is not an absolute URL"));
    auto path = full.find('/', scheme_end + 3);
    auto query = full.find('?', scheme_end + 3);
    if (path == scheme_end + 3) return nostr::err(std::string("X-Original-URL has no host"));
    o.url = std::string(full);
    // "https://host?x" has an empty path: the request target is then "/?x".
    if (path == std::string_view::npos || (query != std::string_view::npos && query < path))
      o.uri = "/" + (query == std::string_view::npos ? std::string() : std::string(full.substr(query)));
    else
      o.uri = std::string(full.substr(path));
    return o;
  }

  auto proto = trim(req.header("X-Forwarded-Proto").value_or(""));
  auto host = trim(req.header("Host").value_or(""));
  auto uri = trim(req.header("X-Original-URI").value_or(""));
  if (!is_token(proto)) return nostr::err(std::string("X-Forwarded-Proto is missing"));
  if (!is_url_text(host) || host.find('/') != std::string_view::npos)
    return nostr::err(std::string("Host is missing or not a host"));
  if (!is_url_text(uri) || uri.front() != '/') return nostr::err(std::string("X-Original-URI is missing or not a path"));
  o.uri = std::string(uri);
  o.url = std::string(proto) + "://" + std::string(host) + o.uri;
  return o;
}

}  // namespace marina::auth
