#pragma once
// The server's BodyWriter: a streamed body over a Beast tcp_stream, as HTTP/1.1
// chunks or, for HTTP/1.0 clients (no chunked encoding), as raw bytes ended by
// closing the connection. Every write waits for the socket, so memory stays at
// one chunk whatever the body's size.
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <chrono>

#include "marina/http/body_writer.hpp"

namespace marina::http::detail {

using StreamHeader = boost::beast::http::response<boost::beast::http::empty_body>;

class StreamWriter final : public BodyWriter {
 public:
  // `header` must already carry Transfer-Encoding: chunked when `chunked`.
  StreamWriter(boost::beast::tcp_stream& stream, StreamHeader header, bool chunked,
               std::chrono::steady_clock::duration write_timeout);

  boost::asio::awaitable<void> write(std::string_view chunk) override;
  std::size_t bytes_written() const override { return bytes_; }

  // Sends the header if no write did, then the last chunk (chunked only).
  boost::asio::awaitable<void> finish();
  // Sends the header alone (HEAD, or a status that has no body).
  boost::asio::awaitable<void> send_header_only();

  bool header_sent() const { return header_sent_; }
  // True once one of this writer's own socket writes failed (the client went
  // away or was too slow), as opposed to the producer failing by itself.
  bool socket_failed() const { return socket_failed_; }

 private:
  boost::asio::awaitable<void> send_header();

  boost::beast::tcp_stream& stream_;
  StreamHeader header_;
  bool chunked_;
  std::chrono::steady_clock::duration write_timeout_;
  bool header_sent_ = false;
  bool socket_failed_ = false;
  std::size_t bytes_ = 0;
};

}  // namespace marina::http::detail
