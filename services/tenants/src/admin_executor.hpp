#pragma once
// One admin command from marina:admin, from the event to the answer:
//
//   1. the event parsed again and its signature checked (relay-ingest did;
//      this side trusts no stream blindly); a bad one is dropped, logged;
//   2. the relay loaded with its sealed key and its admins (owner +
//      admin_pubkeys);
//   3. the replay guard: (relay, event id) inserted ON CONFLICT DO NOTHING;
//      a replay is not executed and not answered again;
//   4. a command older than ADMIN_REPLAY_RETENTION is not executed (its
//      guard row may have been purged): answered validation_failed;
//   5. the relay's secret key unsealed (here only, never logged) and the
//      content decrypted (NIP-44 v2, conversation key relay secret x sender);
//   6. a sender who is not an admin: answered `unauthorized` only when the
//      content decrypted (it was really written for this relay's key, so the
//      sender learns nothing it did not know); anything else is dropped;
//   7. the command parsed and dispatched through the CommandTable; errors
//      become error responses (admin_protocol.hpp codes);
//   8. the response serialized within NIP-44's 65535 bytes, encrypted to
//      the sender, signed by the relay as kind 23457 with ["p", sender] and
//      ["e", request id], and published on marina:events like any ephemeral
//      event (relay-query's live subscriptions deliver it; never stored);
//   9. the command recorded in the relay's activity log (action
//      admin_command: via, request id, command, result).
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <string>

#include "admin_commands.hpp"
#include "marina/metrics/counter.hpp"
#include "marina/streams/contracts.hpp"

namespace marina::redis {
class Client;
}
namespace marina::metrics {
class Registry;
}

namespace marina::tenants::admin {

struct ExecutorSettings {
  std::string master_key;                  // 32 bytes (MASTER_KEY)
  std::chrono::seconds replay_retention{7 * 24 * 3600};
  std::size_t events_maxlen = 100'000;     // MAXLEN ~ of marina:events
};

class Executor {
 public:
  Executor(CommandEnv env, CommandTable table, redis::Client& redis, ExecutorSettings settings,
           metrics::Registry& registry);

  // Never throws for a bad request (answered or dropped, and logged); throws
  // what the database or Redis throw when they fail before the answer is
  // published, so the caller leaves the entry pending and retries it (the
  // replay guard then keeps it from running twice).
  boost::asio::awaitable<void> handle(const streams::AdminRequest& request);

 private:
  boost::asio::awaitable<nlohmann::json> run(const AdminRelay& relay, const Actor& actor, const Command& command,
                                             std::int64_t now_s, std::string_view request_id);

  CommandEnv env_;
  CommandTable table_;
  redis::Client& redis_;
  ExecutorSettings settings_;
  metrics::CounterFamily& outcomes_;
};

}  // namespace marina::tenants::admin
