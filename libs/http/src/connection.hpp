#pragma once
// What the server knows about one open connection. Every member is touched
// only on the connection's strand; the server reaches it by posting there.
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/tcp_stream.hpp>

namespace marina::http::detail {

using Strand = boost::asio::strand<boost::asio::io_context::executor_type>;

struct Connection {
  explicit Connection(Strand s) : strand(std::move(s)) {}

  Strand strand;
  // Bound to the connection's coroutine: emitted (terminal) at the stop deadline
  // so that a handler or upgraded session blocked on anything gets cancelled.
  boost::asio::cancellation_signal cancel;
  // The socket while the HTTP session owns it; null once handed to an upgrade session.
  boost::beast::tcp_stream* stream = nullptr;
  // Waiting for the next request (nothing in progress): closed at once on stop().
  bool idle = false;

  // Both run on the strand.
  void close_if_idle();
  void force_close();
};

}  // namespace marina::http::detail
