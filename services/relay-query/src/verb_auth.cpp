// AUTH (NIP-42).
#include "marina/nostr/relay_message.hpp"
#include "session.hpp"

namespace marina::relay_query {

// NIP-42 is not offered yet (no AUTH challenge is sent, supported_nips does
// not list 42): an AUTH gets a clear refusal. When it comes, this is where
// the event is verified against the connection's challenge and the relay
// URL, and auth_pubkeys_ (already passed to relay-ingest) is filled.
void Session::on_auth(const nostr::AuthMessage& message) {
  send(nostr::relay_ok(message.event.id, false, nostr::Prefix::unsupported,
                       "authentication (NIP-42) is not offered by this relay"));
}

}  // namespace marina::relay_query
