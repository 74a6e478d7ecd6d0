// CLOSE: ends a subscription; no answer is sent, and an unknown id is ignored.
#include "session.hpp"

namespace marina::relay_query {

void Session::on_close(const nostr::CloseMessage& message) {
  if (auto sub = find_subscription(message.subscription_id)) remove_subscription(sub);
}

}  // namespace marina::relay_query
