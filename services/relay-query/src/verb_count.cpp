// COUNT (NIP-45): one stored count per request, at most the relay's
// max_subscriptions_per_client at once per connection.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "marina/core/clock.hpp"
#include "marina/core/log.hpp"
#include "marina/nostr/relay_message.hpp"
#include "marina/relay/expiration.hpp"
#include "marina/store/event_store.hpp"
#include "session.hpp"

namespace marina::relay_query {

namespace asio = boost::asio;

// Direct messages are counted only where this connection may read them
// (libs/relay private_events.hpp): filters naming their kinds are narrowed
// to those; for filters without `kinds`, the private events they match that
// this connection may not read are counted and taken off. Other COUNTs are
// one query as before.
asio::awaitable<std::uint64_t> Session::count_readable(const std::vector<nostr::Filter>& filters) {
  const std::optional<std::int64_t> hidden_up_to = relay::hidden_expired_up_to(config(), core::unix_seconds());
  auto count = [&](const std::vector<nostr::Filter>& f) -> asio::awaitable<std::uint64_t> {
    const std::vector<nostr::Filter> useful = queryable(f);
    if (useful.empty()) co_return 0;
    co_return co_await ctx_.store.count(relay_id_, useful, hidden_up_to);
  };
  if (!relay::may_match_private(filters)) co_return co_await count(filters);
  const relay::ReadableFilters narrowed = readable(filters);
  std::uint64_t n = co_await count(narrowed.filters);
  if (!narrowed.unkinded) co_return n;
  const std::vector<nostr::Filter> private_part = relay::unkinded_private_part(filters);
  const std::uint64_t all_private = co_await count(private_part);
  const relay::ReadableFilters readable_part = readable(private_part);
  const std::uint64_t readable_private = co_await count(readable_part.filters);
  const std::uint64_t hidden = all_private > readable_private ? all_private - readable_private : 0;
  co_return n > hidden ? n - hidden : 0;
}

void Session::on_count(nostr::CountMessage message) {
  if (subscription_id_too_long(message.subscription_id)) return;
  if (auto why = read_refusal(message.filters)) {
    ctx_.probe.auth_required(Verb::count);
    send(nostr::relay_closed(message.subscription_id, *why));
    return;
  }
  const std::size_t max = max_subscriptions();
  if (counts_in_flight_ >= max) {
    send(nostr::relay_closed(message.subscription_id, nostr::Prefix::error,
                             "too many COUNT requests at once (at most " + std::to_string(max) + ")"));
    return;
  }
  ++counts_in_flight_;
  asio::co_spawn(strand_, run_count(shared_from_this(), std::move(message.subscription_id), std::move(message.filters)),
                 asio::detached);
}

asio::awaitable<void> Session::run_count(std::shared_ptr<Session>, std::string subscription_id,
                                         std::vector<nostr::Filter> filters) {
  const std::vector<nostr::Filter> useful = queryable(filters);
  std::uint64_t count = 0;
  bool failed = false;
  if (!useful.empty()) {
    const auto started = Clock::now();
    try {
      count = co_await count_readable(useful);
      ctx_.probe.stored_query(Verb::count, std::chrono::duration<double>(Clock::now() - started).count());
    } catch (const std::exception& e) {
      log::warn("stored count failed", {{"relay", relay_id_}, {"error", e.what()}});
      ctx_.probe.stored_query_failed();
      failed = true;
    }
  }
  if (closing_) co_return;
  --counts_in_flight_;
  if (failed) {
    send(nostr::relay_closed(subscription_id, nostr::Prefix::error, "could not count stored events; try again"));
  } else {
    send(nostr::relay_count(subscription_id, count));
  }
}

}  // namespace marina::relay_query
