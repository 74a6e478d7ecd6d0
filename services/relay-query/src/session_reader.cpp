// The socket's reader: reads each message (bounded by the relay's
// max_message_length under RELAY_MAX_MESSAGE_BYTES, read as each message
// begins; an oversized one dropped piece by piece and answered with a NOTICE), parses
// it and hands it to its verb (verb_*.cpp). A message that does not parse is
// answered here, as NIP-01 asks for its verb.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <variant>

#include "marina/nostr/relay_message.hpp"
#include "marina/relay/client_limits.hpp"
#include "session.hpp"

namespace marina::relay_query {

namespace asio = boost::asio;
namespace beast = boost::beast;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

namespace {

// A read buffer that grew for a large message is given back past this size,
// so an idle connection holds little memory.
constexpr std::size_t kKeptReadBufferBytes = 16 * 1024;
// How much of an oversized message is read (and dropped) at a time.
constexpr std::size_t kDiscardChunkBytes = 16 * 1024;

Verb verb_of(std::string_view verb) {
  if (verb == "EVENT") return Verb::event;
  if (verb == "REQ") return Verb::req;
  if (verb == "COUNT") return Verb::count;
  if (verb == "CLOSE") return Verb::close;
  if (verb == "AUTH") return Verb::auth;
  return Verb::invalid;
}

}  // namespace

asio::awaitable<void> Session::read_loop() {
  // The bound of the message being read, taken when it begins: the owner
  // may change it between two messages, never within one.
  std::size_t max = relay::message_length(config(), ctx_.settings.relay.limits);
  beast::flat_buffer buffer;
  // A message over the bound is read and thrown away piece by piece, then
  // answered with a NOTICE: memory stays bounded and the connection usable.
  // (Letting Beast enforce read_message_max instead fails the connection,
  // and its teardown can reset it before the client reads the close frame.)
  bool too_big = false;
  for (;;) {
    // After a close began, reading goes on until the closing handshake ends
    // (what Beast asks of a closing stream); messages are no longer handled.
    const std::size_t room = too_big ? kDiscardChunkBytes : max - buffer.size();
    auto [ec, n] = co_await ws_.async_read_some(buffer, room, use_tuple);
    if (ec) co_return;
    if (too_big) buffer.clear();
    if (!ws_.is_message_done()) {
      if (!too_big && buffer.size() >= max) {
        too_big = true;
        buffer.clear();
        buffer.shrink_to_fit();
      }
      continue;
    }
    if (closing_) {
      // nothing more is handled
    } else if (too_big) {
      ctx_.probe.message(Verb::invalid);
      ctx_.probe.limit_refused(LimitRefusal::message_length);
      send(nostr::relay_notice(relay::message_length_notice(max)));
    } else {
      last_activity_ = Clock::now();
      if (ws_.got_text()) {
        const auto data = buffer.cdata();
        co_await on_message(std::string_view(static_cast<const char*>(data.data()), data.size()));
      } else {
        ctx_.probe.message(Verb::invalid);
        send(nostr::relay_notice("invalid: binary messages are not supported; send JSON text"));
      }
    }
    too_big = false;
    buffer.clear();
    if (buffer.capacity() > kKeptReadBufferBytes) buffer.shrink_to_fit();
    max = relay::message_length(config(), ctx_.settings.relay.limits);
  }
}

asio::awaitable<void> Session::on_message(std::string_view text) {
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

nostr::MessageLimits message_limits(const relay::RelayLimits& limits) {
  nostr::MessageLimits m;
  m.filter = limits.filter_limits();
  m.max_filters = limits.max_filters;
  return m;
}

}  // namespace marina::relay_query
