// The connection's subscriptions: the id bound, lookup and removal (REQ,
// COUNT, CLOSE and the reader's refusals use them).
#include "event_checks.hpp"
#include "live_hub.hpp"
#include "marina/nostr/relay_message.hpp"
#include "relay_document.hpp"
#include "session.hpp"

namespace marina::relay_query {

bool Session::subscription_id_too_long(const std::string& id) {
  const std::size_t max = effective_max_subid_length(ctx_.settings.relay.limits);
  if (code_points(id) <= max) return false;
  send(nostr::relay_closed(id, nostr::Prefix::invalid,
                           "subscription id longer than " + std::to_string(max) + " characters"));
  return true;
}

std::shared_ptr<LiveSubscription> Session::find_subscription(std::string_view id) const {
  for (const auto& sub : subscriptions_)
    if (sub->id == id) return sub;
  return nullptr;
}

void Session::remove_subscription(const std::shared_ptr<LiveSubscription>& sub) {
  sub->active = false;
  if (sub->in_hub) {
    ctx_.hub.remove(sub);
    sub->in_hub = false;
  }
  std::erase(subscriptions_, sub);
  ctx_.probe.subscription_closed();
}

std::vector<nostr::Filter> Session::queryable(const std::vector<nostr::Filter>& filters) {
  std::vector<nostr::Filter> out;
  for (const auto& f : filters)
    if (!f.matches_nothing()) out.push_back(f);
  return out;
}

}  // namespace marina::relay_query
