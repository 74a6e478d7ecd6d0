#include "stream_writer.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/system/system_error.hpp>

namespace marina::http::detail {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using boost::system::error_code;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

StreamWriter::StreamWriter(boost::beast::tcp_stream& stream, StreamHeader header, bool chunked,
                           std::chrono::steady_clock::duration write_timeout)
    : stream_(stream), header_(std::move(header)), chunked_(chunked), write_timeout_(write_timeout) {}

asio::awaitable<void> StreamWriter::send_header() {
  bhttp::response_serializer<bhttp::empty_body> serializer{header_};
  stream_.expires_after(write_timeout_);
  auto [ec, n] = co_await bhttp::async_write_header(stream_, serializer, use_tuple);
  stream_.expires_never();
  header_sent_ = true;  // even when it failed: part of it may be on the wire
  if (ec) {
    socket_failed_ = true;
    throw boost::system::system_error(ec);
  }
}

asio::awaitable<void> StreamWriter::write(std::string_view chunk) {
  if (!header_sent_) co_await send_header();
  if (chunk.empty()) co_return;  // an empty chunk is the end-of-body marker
  const asio::const_buffer data = asio::buffer(chunk.data(), chunk.size());
  error_code ec;
  stream_.expires_after(write_timeout_);
  if (chunked_) {
    const auto framed = bhttp::make_chunk(data);
    auto [wec, n] = co_await asio::async_write(stream_, framed, use_tuple);
    ec = wec;
  } else {
    auto [wec, n] = co_await asio::async_write(stream_, data, use_tuple);
    ec = wec;
  }
  stream_.expires_never();
  if (ec) {
    socket_failed_ = true;
    throw boost::system::system_error(ec);
  }
  bytes_ += chunk.size();
}

asio::awaitable<void> StreamWriter::finish() {
  if (!header_sent_) co_await send_header();
  if (!chunked_) co_return;  // HTTP/1.0: closing the connection ends the body
  const auto last = bhttp::make_chunk_last();
  stream_.expires_after(write_timeout_);
  auto [ec, n] = co_await asio::async_write(stream_, last, use_tuple);
  stream_.expires_never();
  if (ec) {
    socket_failed_ = true;
    throw boost::system::system_error(ec);
  }
}

asio::awaitable<void> StreamWriter::send_header_only() { co_await send_header(); }

}  // namespace marina::http::detail
