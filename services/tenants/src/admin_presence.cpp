#include "admin_presence.hpp"

#include "marina/core/clock.hpp"
#include "marina/core/log.hpp"
#include "marina/redis/client.hpp"
#include "marina/streams/contracts.hpp"
#include "marina/streams/presence.hpp"

namespace marina::tenants::admin {

boost::asio::awaitable<RelayPresence::Counts> RelayPresence::of(std::string relay_id) {
  std::vector<std::string> range{"ZRANGE", std::string(streams::kPresenceIndex),
                                 std::to_string(core::unix_ms() - fresh_for_.count()), "+inf", "BYSCORE"};
  const redis::Reply replicas = co_await redis_.command(std::move(range));
  Counts counts;
  const auto& names = replicas.throw_if_error().as_array();
  if (names.empty()) co_return counts;
  std::vector<std::string> mget{"MGET"};
  for (const auto& r : names) mget.push_back(streams::presence_key(r.as_string()));
  const redis::Reply reports = co_await redis_.command(std::move(mget));
  for (const auto& report : reports.throw_if_error().as_array()) {
    if (report.is_nil()) continue;  // expired since the ZRANGE
    try {
      for (const auto& r : streams::PresenceReport::decode(report.as_string()).relays) {
        if (r.relay_id != relay_id) continue;
        counts.connections += static_cast<std::int64_t>(r.connections);
        counts.subscriptions += static_cast<std::int64_t>(r.subscriptions);
      }
    } catch (const streams::ContractError& e) {
      log::warn("skipped a malformed presence report", {{"error", e.what()}});
    }
  }
  co_return counts;
}

}  // namespace marina::tenants::admin
