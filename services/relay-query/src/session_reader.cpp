// Dispatching a client message to its handler; AUTH.
#include <variant>

#include "marina/nostr/relay_message.hpp"
#include "session.hpp"

namespace marina::relay_query {

namespace {

Verb verb_of(std::string_view verb) {
  if (verb == "EVENT") return Verb::event;
  if (verb == "REQ") return Verb::req;
  if (verb == "COUNT") return Verb::count;
  if (verb == "CLOSE") return Verb::close;
  if (verb == "AUTH") return Verb::auth;
  return Verb::invalid;
}

}  // namespace

boost::asio::awaitable<void> Session::on_message(std::string_view text) {
  auto parsed = nostr::parse_client_message(text, ctx_.message_limits);
  if (!parsed) {
    // OK false for an EVENT with a readable id, CLOSED for a REQ/COUNT with
    // a valid subscription id, NOTICE otherwise; all prefixed "invalid:"
    // (or "unsupported:" for a filter field this relay does not know).
    const nostr::ClientMessageError& error = parsed.error();
    const Verb verb = verb_of(error.verb);
    ctx_.probe.message(verb);
    if (verb == Verb::event && error.event_id) ctx_.probe.ok(OkResult::invalid, 0.0);
    // A refused REQ answers CLOSED for its id: a subscription open under that
    // id must not keep delivering after the client was told it is closed.
    if (verb == Verb::req && error.subscription_id) {
      if (auto open = find_subscription(*error.subscription_id)) remove_subscription(open);
    }
    send(error.reply());
    co_return;
  }
  nostr::ClientMessage& message = parsed.value();
  if (auto* event = std::get_if<nostr::EventMessage>(&message)) {
    co_await on_event(std::move(event->event));
  } else if (auto* req = std::get_if<nostr::ReqMessage>(&message)) {
    ctx_.probe.message(Verb::req);
    on_req(std::move(*req));
  } else if (auto* close = std::get_if<nostr::CloseMessage>(&message)) {
    ctx_.probe.message(Verb::close);
    on_close(*close);
  } else if (auto* count = std::get_if<nostr::CountMessage>(&message)) {
    ctx_.probe.message(Verb::count);
    on_count(std::move(*count));
  } else if (auto* auth = std::get_if<nostr::AuthMessage>(&message)) {
    ctx_.probe.message(Verb::auth);
    on_auth(*auth);
  }
}

// NIP-42 is not offered yet (no AUTH challenge is sent, supported_nips does
// not list 42): an AUTH gets a clear refusal. When it comes, this is where
// the event is verified against the connection's challenge and the relay
// URL, and auth_pubkeys_ (already passed to relay-ingest) is filled.
void Session::on_auth(const nostr::AuthMessage& message) {
  send(nostr::relay_ok(message.event.id, false, nostr::Prefix::unsupported,
                       "authentication (NIP-42) is not offered by this relay"));
}

}  // namespace marina::relay_query
