#include "nip86_auth.hpp"

#include <algorithm>

#include "marina/core/clock.hpp"
#include "marina/nostr/nip98.hpp"
#include "marina/nostr/sha256.hpp"
#include "marina/pg/pool.hpp"
#include "marina/redis/client.hpp"
#include "marina/relay/host.hpp"
#include "marina/relay/relay_config.hpp"
#include "marina/store/relay_policy.hpp"
#include "repository.hpp"

namespace marina::tenants {

namespace nip98 = nostr::nip98;

namespace {

// auth's replay guard keys (services/auth): one namespace for every door.
constexpr std::string_view kUsedPrefix = "marina:auth:used:";

Nip86Refusal unauthorized(const std::string& why) { return Nip86Refusal(401, "unauthorized: " + why); }

struct Found {
  Relay relay;
  std::vector<std::string> admins;  // admin_pubkeys
};

}  // namespace

Nip86Auth::Nip86Auth(pg::Pool& db, redis::Client& redis, const Settings& settings, std::chrono::seconds window)
    : db_(db), redis_(redis), settings_(settings), window_(window) {}

boost::asio::awaitable<Nip86Caller> Nip86Auth::authenticate(const http::Request& request) {
  const std::string host(request.header("Host").value_or(""));
  const auto subdomain = relay::subdomain_of(host, settings_.relay.relay_domain);
  if (!subdomain) throw Nip86Refusal(404, "no relay at " + host.substr(0, 255));
  const std::string sub = *subdomain;
  auto lookup = [&sub](pqxx::work& tx) -> std::optional<Found> {
    const auto row = tx.exec_params("SELECT id::text FROM relays WHERE subdomain = $1", sub);
    if (row.empty()) return std::nullopt;
    Found found{*repo::find_relay(tx, row[0][0].c_str(), std::nullopt), {}};
    const auto rows = store::load_config_rows(tx, found.relay.id);
    const auto config = relay::RelayConfig::build(rows, {found.relay.subdomain, found.relay.name, found.relay.description},
                                                  nullptr);
    found.admins = config.admin_pubkeys;
    return found;
  };
  auto found = co_await db_.transaction(lookup);
  if (!found || found->relay.status == "inactive") throw Nip86Refusal(404, "no relay at " + host.substr(0, 255));

  const auto header = request.header("Authorization");
  if (!header) throw unauthorized("a NIP-98 Authorization header is required");
  const nip98::Options options{.window = window_};
  auto parsed = nip98::parse_token(*header, options);
  if (!parsed) throw unauthorized(std::string(nip98::to_string(parsed.error())));
  // `u`: the URL as this request was made, or the relay's own URL.
  const std::string scheme(request.header("X-Forwarded-Proto").value_or("http"));
  const std::string path(request.header("X-Original-URI").value_or("/"));
  const std::string relay_url = settings_.relay.relay_url(found->relay.subdomain);
  const std::vector<std::string> accepted = {scheme + "://" + host + path, relay_url, relay_url + "/"};
  const std::string u(parsed.value().first_tag_value("u").value_or(""));
  if (std::find(accepted.begin(), accepted.end(), u) == accepted.end())
    throw unauthorized("wrong-url: the u tag must be " + accepted[0] + " or " + relay_url);
  const nip98::Request claims{.method = request.method,
                              .url = u,
                              .body_sha256 = nostr::sha256(request.body),
                              .now = core::unix_seconds()};
  auto identity = nip98::verify(*header, claims, options);
  if (!identity) {
    const auto failure = identity.error();
    if (failure == nip98::Failure::missing_tag)
      throw unauthorized("missing-tag: NIP-86 requires the u, method and payload tags");
    throw unauthorized(std::string(nip98::to_string(failure)));
  }
  std::string used_key(kUsedPrefix);
  identity.value().signature.append_hex(used_key);
  bool first = false;
  try {
    first = co_await redis_.set_nx_ex(used_key, "1", 2 * window_);
  } catch (const std::exception&) {
    throw Nip86Refusal(503, "cannot rule out a replayed token right now; retry shortly");
  }
  if (!first) throw unauthorized("replayed: this token was used already; sign a new one");

  const std::string pubkey = identity.value().pubkey.hex();
  Nip86Caller caller{Actor{pubkey, false, {}, "nip86"}, found->relay};
  if (pubkey == found->relay.tenant_pubkey) co_return caller;
  if (std::find(found->admins.begin(), found->admins.end(), pubkey) != found->admins.end()) {
    caller.actor.for_owner = found->relay.tenant_pubkey;
    co_return caller;
  }
  throw Nip86Refusal(403, "unauthorized: " + pubkey + " is not an admin of this relay");
}

}  // namespace marina::tenants
