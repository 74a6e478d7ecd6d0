// The connection's subscriptions: the id bound, the relay's subscription
// bounds, lookup and removal (REQ, COUNT, CLOSE and the reader's refusals use
// them); and the relay's configuration as it changes under the connection.
#include <boost/asio/post.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include "event_checks.hpp"
#include "live_hub.hpp"
#include "marina/nostr/relay_message.hpp"
#include "marina/relay/client_limits.hpp"
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

std::size_t Session::max_subscriptions() const {
  return relay::subscriptions_per_client(config(), ctx_.settings.relay.limits);
}

bool Session::admit_subscription(const std::string& id) {
  // A bound lowered under open subscriptions refuses new ones; the open ones stay.
  if (const std::size_t max = max_subscriptions(); subscriptions_.size() >= max) {
    ctx_.probe.limit_refused(LimitRefusal::subscriptions_per_client);
    send(nostr::relay_closed(id, relay::subscriptions_per_client_refusal(max)));
    return false;
  }
  if (const std::size_t max = relay::total_subscriptions(config()); !slot_->open_subscription(max)) {
    ctx_.probe.limit_refused(LimitRefusal::total_subscriptions);
    send(nostr::relay_closed(id, relay::total_subscriptions_refusal(max)));
    return false;
  }
  return true;
}

std::shared_ptr<LiveSubscription> Session::find_subscription(std::string_view id) const {
  for (const auto& sub : subscriptions_)
    if (sub->id == id) return sub;
  return nullptr;
}

void Session::remove_subscription(const std::shared_ptr<LiveSubscription>& sub, SubscriptionChange why) {
  ctx_.activity.subscription(*sub, client_ip_, why);
  sub->active = false;
  if (sub->in_hub) {
    ctx_.hub.remove(sub);
    sub->in_hub = false;
  }
  std::erase(subscriptions_, sub);
  if (slot_) slot_->close_subscription();
  ctx_.probe.subscription_closed();
}

std::vector<nostr::Filter> Session::queryable(const std::vector<nostr::Filter>& filters) {
  std::vector<nostr::Filter> out;
  for (const auto& f : filters)
    if (!f.matches_nothing()) out.push_back(f);
  return out;
}

void Session::post_relay_changed(std::shared_ptr<const store::Relay> relay) {
  boost::asio::post(strand_, [self = shared_from_this(), updated = std::move(relay)]() mutable {
    self->on_relay_changed(std::move(updated));
  });
}

void Session::on_relay_changed(std::shared_ptr<const store::Relay> updated) {
  if (!updated || !updated->config || closing_) return;
  relay_ = std::move(updated);
  // An ip rule added (or auth_enabled turned on) applies to open connections too.
  const auto admission = relay::ip_admission(config(), relay_->rules.get(), client_ip_);
  if (admission != relay::IpAdmission::admitted)
    begin_close(CloseCause::ip_blocked, boost::beast::websocket::close_code::policy_error,
                relay::ip_refusal(admission));
}

}  // namespace marina::relay_query
