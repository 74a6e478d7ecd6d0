// One connection: read a request, answer it, repeat while keep-alive holds.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <chrono>
#include <optional>

#include "marina/core/log.hpp"
#include "marina/http/error.hpp"
#include "marina/http/router.hpp"
#include "message.hpp"
#include "read_deadline.hpp"
#include "server_state.hpp"
#include "stream_writer.hpp"

namespace marina::http::detail {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

// How much is read at once while waiting for a request's first bytes.
constexpr std::size_t kFirstReadBytes = 4096;
// After an error response the client may still be sending (a too-large body):
// read and discard so that closing does not reset the connection before the
// client (or a proxy still sending the body) has read the response. At least
// kLingerBytes, the rest of a declared body up to kDrainBytes, for at most the
// read timeout (kLingerTime when that is shorter).
constexpr auto kLingerTime = std::chrono::milliseconds(500);
constexpr std::size_t kLingerBytes = 1024 * 1024;
constexpr std::size_t kDrainBytes = 64 * 1024 * 1024;

// Unsets Connection::stream on every way out of the coroutine.
struct StreamRegistration {
  Connection& conn;
  StreamRegistration(Connection& c, beast::tcp_stream& s) : conn(c) { conn.stream = &s; }
  ~StreamRegistration() { conn.stream = nullptr; }
};

std::string remote_address_of(const asio::ip::tcp::socket& socket) {
  error_code ec;
  auto ep = socket.remote_endpoint(ec);
  return ec ? std::string("unknown") : ep.address().to_string();
}

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

class Session {
 public:
  Session(std::shared_ptr<detail::ServerState> state, std::shared_ptr<Connection> conn, asio::ip::tcp::socket socket)
      : s_(std::move(state)),
        conn_(std::move(conn)),
        limits_(s_->options.limits),
        remote_(remote_address_of(socket)),
        stream_(std::move(socket)),
        registration_(*conn_, stream_),
        read_deadline_(stream_) {}

  asio::awaitable<void> run();

 private:
  enum class ReadUpTo { header, body };
  // Reads one request's header; false when the connection should close.
  asio::awaitable<bool> read_header(bhttp::request_parser<bhttp::string_body>& parser, bool first);
  // Reads the header or the rest of the message by the request's deadline;
  // false (after answering a failed read) when the connection should close.
  asio::awaitable<bool> read_up_to(bhttp::request_parser<bhttp::string_body>& parser, ReadUpTo part);
  // Sets the body limit of the request's route; false (after a 413) when its
  // declared Content-Length is over it.
  asio::awaitable<bool> limit_body(bhttp::request_parser<bhttp::string_body>& parser);
  Response payload_too_large() const {
    return problem(413, "payload-too-large", "Payload too large",
                   "The request body exceeds " + std::to_string(body_limit_) + " bytes.");
  }
  // Answers a failed read when there is something to answer (431, 413, 400).
  asio::awaitable<void> answer_read_error(error_code ec, const bhttp::request_parser<bhttp::string_body>& parser);
  asio::awaitable<void> serve_upgrade(bhttp::request_parser<bhttp::string_body>& parser, bool& keep_open);
  // Writes `res` and records it; false when the connection must close (the
  // write failed, or a streamed body ended only by closing).
  asio::awaitable<bool> respond(const Request& req, Response res, bool keep_alive, Clock::time_point start);
  asio::awaitable<bool> respond_streamed(const Request& req, Response res, bool keep_alive, Clock::time_point start);
  // One access-log line and the request metrics.
  void record(const Request& req, int status, std::size_t bytes, Clock::time_point start);
  // `unread`: body bytes the client declared and has not sent yet.
  asio::awaitable<void> linger_close(std::size_t unread = 0);
  void close();

  std::shared_ptr<detail::ServerState> s_;
  std::shared_ptr<Connection> conn_;
  const ServerLimits& limits_;
  std::string remote_;
  beast::tcp_stream stream_;
  StreamRegistration registration_;
  ReadDeadline read_deadline_;
  beast::flat_buffer buffer_;
  Clock::time_point deadline_;
  std::size_t body_limit_ = 0;  // of the request being read
};

asio::awaitable<void> Session::run() {
  bool first = true;
  while (!s_->stopping.load()) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(limits_.max_header_bytes, UINT32_MAX)));
    // Checked once the route is known (limit_body).
    parser.body_limit(boost::none);
    if (!co_await read_header(parser, first)) break;
    first = false;
    if (!co_await limit_body(parser)) break;

    if (s_->upgrade && beast::websocket::is_upgrade(parser.get())) {
      bool keep_open = false;
      co_await serve_upgrade(parser, keep_open);
      if (!keep_open) co_return;  // the session owned the socket, or the rejection closed it
      continue;
    }

    if (!parser.is_done()) {
      if (beast::iequals(parser.get()[bhttp::field::expect], "100-continue")) {
        bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, parser.get().version()};
        stream_.expires_after(limits_.write_timeout);
        auto [ec, n] = co_await bhttp::async_write(stream_, cont, use_tuple);
        if (ec) break;
      }
      if (!co_await read_up_to(parser, ReadUpTo::body)) break;
    }
    stream_.expires_never();  // the handler's own time is not the client's read timeout

    auto start = Clock::now();
    Request req = to_request(parser.release(), remote_);
    Response res = co_await call_handler(s_->handler, req);
    bool keep_alive = req.keep_alive && !s_->stopping.load();
    if (!co_await respond(req, std::move(res), keep_alive, start) || !keep_alive) break;
  }
  close();
}

asio::awaitable<bool> Session::read_header(bhttp::request_parser<bhttp::string_body>& parser, bool first) {
  // A new connection gets read_timeout for its whole first request; a kept-alive
  // one may wait idle_timeout for its next request, whose read_timeout starts
  // with its first byte.
  deadline_ = Clock::now() + limits_.read_timeout;
  if (buffer_.size() == 0) {
    conn_->idle = true;
    if (first) {
      stream_.expires_at(deadline_);
    } else {
      stream_.expires_after(limits_.idle_timeout);
    }
    auto [ec, n] = co_await stream_.async_read_some(buffer_.prepare(kFirstReadBytes), use_tuple);
    conn_->idle = false;
    if (ec) {
      if (ec == beast::error::timeout && first && s_->probe) s_->probe->read_timed_out();
      co_return false;
    }
    buffer_.commit(n);
    if (!first) deadline_ = Clock::now() + limits_.read_timeout;
  }
  co_return co_await read_up_to(parser, ReadUpTo::header);
}

asio::awaitable<bool> Session::read_up_to(bhttp::request_parser<bhttp::string_body>& parser, ReadUpTo part) {
  stream_.expires_never();
  read_deadline_.arm(deadline_);
  auto [ec, n] = part == ReadUpTo::header ? co_await bhttp::async_read_header(stream_, buffer_, parser, use_tuple)
                                          : co_await bhttp::async_read(stream_, buffer_, parser, use_tuple);
  read_deadline_.disarm();
  if (ec) {
    co_await answer_read_error(ec, parser);
    co_return false;
  }
  co_return true;
}

asio::awaitable<void> Session::answer_read_error(error_code ec,
                                                 const bhttp::request_parser<bhttp::string_body>& parser) {
  std::optional<Response> res;
  if (read_deadline_.expired()) {
    // A request begun and not finished in time: said before closing, which
    // RFC 9110 allows (a connection that sent nothing is closed silently).
    if (s_->probe) s_->probe->read_timed_out();
    log::debug("request read timed out", {{"server", s_->options.name}, {"remote", remote_}});
    res = problem(408, "request-timeout", "Request timeout",
                  "The request was not received within " + std::to_string(limits_.read_timeout.count()) + " ms.");
  } else if (ec == bhttp::error::header_limit) {
    res = problem(431, "headers-too-large", "Request header fields too large",
                  "The request line and headers exceed " + std::to_string(limits_.max_header_bytes) + " bytes.");
  } else if (ec == bhttp::error::body_limit) {
    res = payload_too_large();
  } else if (ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category() &&
             ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message) {
    res = problem(400, "bad-request", "Bad request", "The request is not valid HTTP/1.1.");
  }
  if (!res) co_return;  // the peer went away
  Request req = parser.is_header_done() ? to_request_header(parser.get(), remote_) : Request{};
  co_await respond(req, std::move(*res), false, Clock::now());
  // A chunked body over the limit may go on for a while yet.
  co_await linger_close(ec == bhttp::error::body_limit ? kDrainBytes : 0);
}

asio::awaitable<bool> Session::limit_body(bhttp::request_parser<bhttp::string_body>& parser) {
  body_limit_ = limits_.max_body_bytes;
  if (s_->options.body_limits) {
    const std::string_view target = parser.get().target();
    if (auto own = s_->options.body_limits(parser.get().method_string(), target.substr(0, target.find('?'))))
      body_limit_ = *own;
  }
  parser.body_limit(body_limit_);
  const auto declared = parser.content_length();
  if (!declared || *declared <= body_limit_) co_return true;
  // Refused before a byte of the body is read (and before 100 Continue), so
  // a client that waits for 100 Continue never sends it.
  Request req = to_request_header(parser.get(), remote_);
  co_await respond(req, payload_too_large(), false, Clock::now());
  const bool waits_for_continue = beast::iequals(parser.get()[bhttp::field::expect], "100-continue");
  co_await linger_close(waits_for_continue ? 0 : static_cast<std::size_t>(std::min<std::uint64_t>(*declared, kDrainBytes)));
  co_return false;
}

asio::awaitable<void> Session::serve_upgrade(bhttp::request_parser<bhttp::string_body>& parser, bool& keep_open) {
  if (!parser.is_done() && !co_await read_up_to(parser, ReadUpTo::body)) co_return;
  stream_.expires_never();
  auto start = Clock::now();
  Request req = to_request_header(parser.get(), remote_);
  std::optional<UpgradeDecision> decision;
  std::optional<Response> failure;
  try {
    decision.emplace(co_await s_->upgrade(req));
  } catch (const Error& e) {
    failure = problem(e);
  } catch (const std::exception& e) {
    log::error("upgrade handler failed", {{"path", req.path}, {"error", e.what()}});
    failure = problem(500, "internal-error", "Internal server error");
  }
  if (failure || !decision->accepted()) {
    Response res = failure ? std::move(*failure) : std::move(decision->rejection());
    bool keep_alive = req.keep_alive && !s_->stopping.load();
    keep_open = co_await respond(req, std::move(res), keep_alive, start) && keep_alive;
    if (!keep_open) close();
    co_return;
  }

  if (s_->options.access_log) {
    log::info("upgrade", {{"server", s_->options.name}, {"method", req.method}, {"path", req.path},
                          {"status", 101}, {"remote", remote_}});
  }
  if (s_->probe) s_->probe->request_served(req.method, req.route.empty() ? "upgrade" : req.route, 101, 0.0);
  // From here the session owns the socket; stop() reaches it only through the
  // cancellation signal bound to this coroutine.
  conn_->stream = nullptr;
  Upgraded up{std::move(stream_), parser.release(), remote_};
  try {
    co_await decision->session()(std::move(up));
  } catch (const boost::system::system_error& e) {
    log::debug("upgraded session ended", {{"remote", remote_}, {"error", e.what()}});
  } catch (const std::exception& e) {
    log::error("upgraded session failed", {{"remote", remote_}, {"error", e.what()}});
  }
}

asio::awaitable<bool> Session::respond(const Request& req, Response res, bool keep_alive, Clock::time_point start) {
  if (res.producer) co_return co_await respond_streamed(req, std::move(res), keep_alive, start);
  int status = res.status;
  std::size_t bytes = res.body.size();
  auto msg = to_beast(std::move(res), req.version == 10 ? 10 : 11, keep_alive, req.method == "HEAD");
  stream_.expires_after(limits_.write_timeout);
  auto [ec, n] = co_await bhttp::async_write(stream_, msg, use_tuple);
  stream_.expires_never();
  record(req, status, bytes, start);
  co_return !ec;
}

asio::awaitable<bool> Session::respond_streamed(const Request& req, Response res, bool keep_alive,
                                                Clock::time_point start) {
  const int status = res.status;
  // HTTP/1.0 has no chunked encoding: the body's end is the connection's.
  const bool chunked = req.version != 10;
  if (!chunked) keep_alive = false;
  const bool no_body = req.method == "HEAD" || status == 204 || status == 304 || (status >= 100 && status < 200);
  StreamWriter writer(stream_, to_stream_header(res, chunked ? 11 : 10, keep_alive, chunked), chunked,
                      limits_.write_timeout);
  if (no_body) {
    // The producer is not run at all: a HEAD answer has the header only.
    bool sent = true;
    try {
      co_await writer.send_header_only();
    } catch (const boost::system::system_error&) {
      sent = false;
    }
    record(req, status, 0, start);
    co_return sent && keep_alive;
  }

  std::optional<Response> failure;
  std::string broken;  // why the body was cut short after its header went out
  try {
    co_await res.producer(writer);
  } catch (const Error& e) {
    if (writer.header_sent()) broken = e.what();
    else failure = problem(e);
  } catch (const std::exception& e) {
    if (writer.header_sent()) {
      broken = e.what();
    } else {
      log::error("body producer failed", {{"path", req.path}, {"error", e.what()}});
      failure = problem(500, "internal-error", "Internal server error");
    }
  }
  // Nothing went out yet: the failure is an ordinary error response.
  if (failure) co_return co_await respond(req, std::move(*failure), keep_alive, start);

  if (broken.empty()) {
    try {
      co_await writer.finish();
    } catch (const std::exception& e) {
      broken = e.what();
    }
  }
  if (!broken.empty()) {
    // The status line said 200 already; a truncated chunked body (no last
    // chunk) followed by a close is the only honest signal left.
    if (writer.socket_failed()) {
      log::info("streamed response not delivered",
                {{"server", s_->options.name}, {"path", req.path}, {"bytes", writer.bytes_written()},
                 {"error", broken}});
    } else {
      log::error("body producer failed mid-stream: connection closed",
                 {{"server", s_->options.name}, {"path", req.path}, {"bytes", writer.bytes_written()},
                  {"error", broken}});
    }
  }
  record(req, status, writer.bytes_written(), start);
  co_return broken.empty() && keep_alive;
}

void Session::record(const Request& req, int status, std::size_t bytes, Clock::time_point start) {
  double ms = ms_since(start);
  if (s_->options.access_log) {
    // The path only: query strings can carry tokens. Headers are never logged.
    log::info("request", {{"server", s_->options.name},
                          {"method", req.method},
                          {"path", req.path},
                          {"status", status},
                          {"bytes", bytes},
                          {"duration_ms", ms},
                          {"remote", remote_}});
  }
  if (s_->probe) s_->probe->request_served(req.method, req.route, status, ms / 1000.0);
}

asio::awaitable<void> Session::linger_close(std::size_t unread) {
  error_code ec;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  const Clock::duration patience = unread > 0 ? std::max<Clock::duration>(limits_.read_timeout, kLingerTime) : kLingerTime;
  const auto until = Clock::now() + patience;
  const std::size_t bound = std::max(unread, kLingerBytes);
  std::size_t discarded = 0;
  while (!ec && discarded < bound && Clock::now() < until) {
    buffer_.clear();
    stream_.expires_at(until);
    auto [rec, n] = co_await stream_.async_read_some(buffer_.prepare(16 * 1024), use_tuple);
    ec = rec;
    discarded += n;
  }
  close();
}

void Session::close() {
  if (conn_->stream == nullptr) return;
  error_code ec;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  stream_.close();
}

}  // namespace

asio::awaitable<void> serve_connection(std::shared_ptr<detail::ServerState> state, std::shared_ptr<Connection> conn,
                                       asio::ip::tcp::socket socket) {
  Session session(std::move(state), std::move(conn), std::move(socket));
  co_await session.run();
}

}  // namespace marina::http::detail
