#include "marina/redis/options.hpp"

#include <charconv>
#include <stdexcept>

#include "marina/core/config.hpp"
#include "marina/core/percent_decode.hpp"

namespace marina::redis {

namespace {

template <typename T>
bool parse_number(std::string_view s, T& out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return !s.empty() && ec == std::errc() && end == s.data() + s.size();
}

}  // namespace

Options parse_url(std::string_view url) {
  constexpr std::string_view scheme = "redis://";
  if (url.starts_with("rediss://")) throw std::invalid_argument("TLS (rediss://) is not supported");
  if (!url.starts_with(scheme)) throw std::invalid_argument("expected redis://host[:port][/db]");
  std::string_view rest = url.substr(scheme.size());
  Options o;

  auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) {
    std::string_view db = rest.substr(slash + 1);
    if (!db.empty() && (!parse_number(db, o.db) || o.db < 0))
      throw std::invalid_argument("the database after '/' must be a number");
  }
  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    std::string_view userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    // %XX escapes, so a password may contain ':' '@' '/'.
    using core::percent_decode;
    auto colon = userinfo.find(':');
    if (colon == std::string_view::npos) {
      // redis://secret@host: a lone userinfo is the password (as redis-cli reads it).
      o.password = percent_decode(userinfo);
    } else {
      o.username = percent_decode(userinfo.substr(0, colon));
      o.password = percent_decode(userinfo.substr(colon + 1));
    }
  }
  std::string_view host = authority;
  std::string_view port;
  if (authority.starts_with('[')) {  // [::1]:6379
    auto close = authority.find(']');
    if (close == std::string_view::npos) throw std::invalid_argument("unclosed '[' in host");
    host = authority.substr(1, close - 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') throw std::invalid_argument("expected ':' after ']'");
      port = authority.substr(close + 2);
    }
  } else if (auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) throw std::invalid_argument("no host");
  o.host = std::string(host);
  if (!port.empty() && (!parse_number(port, o.port) || o.port == 0))
    throw std::invalid_argument("the port must be a number from 1 to 65535");
  return o;
}

std::string describe(const Options& o) {
  bool v6 = o.host.find(':') != std::string::npos;
  return (v6 ? "[" + o.host + "]" : o.host) + ":" + std::to_string(o.port) + "/" + std::to_string(o.db);
}

Options client_options(core::Config& config) {
  auto url = config.string("REDIS_URL", "redis://127.0.0.1:56379",
                           "Redis URL redis://[[user]:password@]host[:port][/db]; its password is never logged");
  auto connect_timeout = config.duration("REDIS_CONNECT_TIMEOUT", std::chrono::seconds(5), std::chrono::milliseconds(100),
                                         std::chrono::seconds(300), "how long opening a Redis connection may take");
  Options o;
  try {
    o = parse_url(url);
  } catch (const std::invalid_argument& e) {
    throw core::ConfigError(std::string("REDIS_URL: ") + e.what());
  }
  o.connect_timeout = connect_timeout;
  return o;
}

}  // namespace marina::redis
