#pragma once
// The state a Server shares with its accept loop and connection coroutines
// (they keep it alive with a shared_ptr, so a Server can be destroyed while
// they unwind).
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <atomic>
#include <memory>
#include <set>

#include "connection.hpp"
#include "marina/http/server.hpp"
#include "marina/http/upgrade.hpp"
#include "server_probe.hpp"

namespace marina::http {

namespace detail {

struct ServerState {
  ServerState(boost::asio::io_context& io, Handler handler, ServerOptions options);

  boost::asio::io_context& io;
  // Serializes the acceptor, the connection set and stop().
  detail::Strand strand;
  boost::asio::ip::tcp::acceptor acceptor;
  Handler handler;
  UpgradeHandler upgrade;
  ServerOptions options;
  std::unique_ptr<detail::ServerProbe> probe;  // null without a metrics registry

  std::atomic<bool> stopping{false};
  std::atomic<std::size_t> open_connections{0};
  std::atomic<std::uint16_t> port{0};
  // On the strand: every live connection, and a timer stop() waits on that is
  // cancelled when the last connection leaves.
  std::set<std::shared_ptr<detail::Connection>> connections;
  boost::asio::steady_timer drained;

  // On the strand: called when a connection's coroutine has finished.
  void forget(const std::shared_ptr<detail::Connection>& conn);
};

// The coroutine that serves one connection until it closes (connection_loop.cpp).
boost::asio::awaitable<void> serve_connection(std::shared_ptr<ServerState> state, std::shared_ptr<Connection> conn,
                                              boost::asio::ip::tcp::socket socket);
}  // namespace detail

}  // namespace marina::http
