#pragma once
// The smallest complete WebSocket session on top of an upgrade: accept the
// handshake, echo every message (text stays text, binary stays binary) until the
// peer closes. Used by the tests and as the reference for real sessions: it
// bounds the message size and uses Beast's suggested server timeouts.
#include <boost/asio/awaitable.hpp>
#include <cstddef>

#include "marina/http/upgrade.hpp"

namespace marina::http::ws {

struct EchoOptions {
  std::size_t max_message_bytes = 64 * 1024;
};

boost::asio::awaitable<void> echo(Upgraded upgraded, EchoOptions options = {});

// An upgrade handler that accepts every WebSocket request with echo().
UpgradeHandler echo_handler(EchoOptions options = {});

}  // namespace marina::http::ws
