// The listener: binding, the accept loop, the connection limit and stop().
#include "marina/http/server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/write.hpp>
#include <sstream>
#include <stdexcept>

#include "marina/core/log.hpp"
#include "marina/http/error.hpp"
#include "message.hpp"
#include "server_state.hpp"

namespace marina::http {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

namespace detail {

void Connection::close_if_idle() {
  if (idle && stream != nullptr) stream->cancel();
}

void Connection::force_close() {
  cancel.emit(asio::cancellation_type::terminal);
  if (stream != nullptr) {
    error_code ec;
    stream->socket().shutdown(tcp::socket::shutdown_both, ec);
    stream->close();
  }
}

namespace {

// The whole answer to a connection over the limit, serialized once.
const std::string& too_many_connections_response() {
  static const std::string bytes = [] {
    auto res = to_beast(problem(503, "too-many-connections", "Service unavailable",
                                "The server has too many open connections; retry later."),
                        11, false, false);
    res.set(boost::beast::http::field::retry_after, "1");
    std::ostringstream os;
    os << res;
    return os.str();
  }();
  return bytes;
}

// Answers without a coroutine: a refused connection must cost next to nothing,
// or a flood of them would be the overload the limit exists to prevent. A fresh
// socket's send buffer always takes these few hundred bytes.
void refuse(tcp::socket& socket) {
  error_code ec;
  socket.non_blocking(true, ec);
  socket.write_some(asio::buffer(too_many_connections_response()), ec);
  socket.shutdown(tcp::socket::shutdown_send, ec);
  socket.close(ec);
}

asio::awaitable<void> accept_loop(std::shared_ptr<detail::ServerState> s) {
  for (;;) {
    auto conn_strand = asio::make_strand(s->io);
    auto [ec, accepted] = co_await s->acceptor.async_accept(conn_strand, asio::as_tuple(asio::use_awaitable));
    if (s->stopping.load() || !s->acceptor.is_open()) co_return;
    if (ec) {
      // Out of descriptors and the like: wait instead of spinning on the error.
      log::warn("accept failed", {{"server", s->options.name}, {"error", ec.message()}});
      asio::steady_timer pause(s->strand, std::chrono::milliseconds(100));
      co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
      continue;
    }
    tcp::socket socket(std::move(accepted));
    if (s->connections.size() >= s->options.limits.max_connections) {
      if (s->probe) s->probe->connection_rejected_full();
      log::warn("connection refused: too many connections",
                {{"server", s->options.name}, {"limit", s->options.limits.max_connections}});
      refuse(socket);
      continue;
    }
    auto conn = std::make_shared<detail::Connection>(conn_strand);
    s->connections.insert(conn);
    s->open_connections.store(s->connections.size());
    if (s->probe) s->probe->connection_opened();
    asio::co_spawn(conn_strand, detail::serve_connection(s, conn, std::move(socket)),
                   asio::bind_cancellation_slot(conn->cancel.slot(), [s, conn](std::exception_ptr) {
                     asio::post(s->strand, [s, conn] { s->forget(conn); });
                   }));
  }
}

asio::awaitable<void> stop_on_strand(std::shared_ptr<detail::ServerState> s, std::chrono::steady_clock::time_point deadline) {
  s->stopping.store(true);
  error_code ec;
  s->acceptor.close(ec);
  for (const auto& c : s->connections) asio::post(c->strand, [c] { c->close_if_idle(); });

  if (!s->connections.empty()) {
    s->drained.expires_at(deadline);
    co_await s->drained.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  if (s->connections.empty()) co_return;

  log::warn("stop deadline reached: closing connections",
            {{"server", s->options.name}, {"connections", s->connections.size()}});
  for (const auto& c : s->connections) {
    if (s->probe) s->probe->connection_force_closed();
    asio::post(c->strand, [c] { c->force_close(); });
  }
  // Cancelled handlers unwind quickly; one that ignores cancellation is not waited for forever.
  s->drained.expires_after(std::chrono::seconds(1));
  co_await s->drained.async_wait(asio::as_tuple(asio::use_awaitable));
  if (!s->connections.empty()) {
    log::error("connections still open after cancellation",
               {{"server", s->options.name}, {"connections", s->connections.size()}});
  }
}

tcp::endpoint resolve(asio::io_context& io, const std::string& host, std::uint16_t port) {
  error_code ec;
  auto address = asio::ip::make_address(host, ec);
  if (!ec) return {address, port};
  tcp::resolver resolver(io);
  auto results = resolver.resolve(host, std::to_string(port));  // throws when the name does not resolve
  return results.begin()->endpoint();
}

}  // namespace
}  // namespace detail

detail::ServerState::ServerState(asio::io_context& io_, Handler h, ServerOptions o)
    : io(io_),
      strand(asio::make_strand(io_)),
      acceptor(strand),
      handler(std::move(h)),
      options(std::move(o)),
      drained(strand) {
  if (options.metrics != nullptr) probe = std::make_unique<detail::ServerProbe>(*options.metrics, options.name);
}

void detail::ServerState::forget(const std::shared_ptr<detail::Connection>& conn) {
  if (connections.erase(conn) == 0) return;
  open_connections.store(connections.size());
  if (probe) probe->connection_closed();
  if (stopping.load() && connections.empty()) drained.cancel();
}

Server::Server(asio::io_context& io, Handler handler, ServerOptions options)
    : state_(std::make_shared<detail::ServerState>(io, std::move(handler), std::move(options))) {
  if (!state_->handler) throw std::invalid_argument("http::Server needs a handler");
}

Server::~Server() {
  // Whatever is still running gets closed; the coroutines hold the state and
  // unwind on their own strands.
  auto s = state_;
  asio::post(s->strand, [s] {
    s->stopping.store(true);
    error_code ec;
    s->acceptor.close(ec);
    for (const auto& c : s->connections) asio::post(c->strand, [c] { c->force_close(); });
  });
}

void Server::set_upgrade_handler(UpgradeHandler handler) { state_->upgrade = std::move(handler); }

std::uint16_t Server::listen(const std::string& host, std::uint16_t port) {
  auto& s = *state_;
  if (s.acceptor.is_open()) throw std::logic_error("http::Server::listen called twice");
  auto endpoint = detail::resolve(s.io, host, port);
  s.acceptor.open(endpoint.protocol());
  s.acceptor.set_option(asio::socket_base::reuse_address(true));
  s.acceptor.bind(endpoint);
  s.acceptor.listen(asio::socket_base::max_listen_connections);
  s.port.store(s.acceptor.local_endpoint().port());
  asio::co_spawn(s.strand, detail::accept_loop(state_), asio::detached);
  return s.port.load();
}

std::uint16_t Server::port() const { return state_->port.load(); }

asio::awaitable<void> Server::stop(std::chrono::steady_clock::time_point deadline) {
  co_await asio::co_spawn(state_->strand, detail::stop_on_strand(state_, deadline), asio::use_awaitable);
}

std::size_t Server::connection_count() const { return state_->open_connections.load(); }

}  // namespace marina::http
