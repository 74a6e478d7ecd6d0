#include "relay_url.hpp"

#include "marina/core/ascii.hpp"

namespace marina::store::detail {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

void drop_suffix(std::string& s, std::string_view suffix) {
  if (s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0)
    s.resize(s.size() - suffix.size());
}

}  // namespace

std::string relay_url_key(std::string_view url) {
  while (!url.empty() && is_space(url.front())) url.remove_prefix(1);
  while (!url.empty() && is_space(url.back())) url.remove_suffix(1);
  std::string s = core::ascii_lower(url);

  std::string_view default_port;
  if (s.starts_with("wss://")) {
    s.erase(0, 6);
    default_port = ":443";
  } else if (s.starts_with("ws://")) {
    s.erase(0, 5);
    default_port = ":80";
  }
  while (!s.empty() && s.back() == '/') s.pop_back();
  // The port ends the authority; only a port right before the (now
  // stripped) end or before the path is the authority's.
  const auto slash = s.find('/');
  std::string authority = s.substr(0, slash);
  const std::string path = slash == std::string::npos ? std::string() : s.substr(slash);
  if (!default_port.empty()) drop_suffix(authority, default_port);
  return authority + path;
}

}  // namespace marina::store::detail
