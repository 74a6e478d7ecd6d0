#pragma once
// What a handler answers. JSON bodies: see json.hpp; problems: see error.hpp;
// streamed bodies: see body_writer.hpp.
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <string>

#include "marina/http/headers.hpp"

namespace marina::http {

class BodyWriter;
// Produces a streamed body by calling BodyWriter::write as often as it likes.
// It runs on the connection's strand after the handler returned, so it must
// own (or outlive-safely reference) everything it reads.
using BodyProducer = std::function<boost::asio::awaitable<void>(BodyWriter&)>;

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  // When set, `body` is ignored and the body is streamed: HTTP/1.1 clients get
  // Transfer-Encoding: chunked, HTTP/1.0 clients the raw bytes then a close.
  BodyProducer producer;

  // text/plain; charset=utf-8
  static Response text(std::string body, int status = 200);
  // Any body with its Content-Type.
  static Response with_body(int status, std::string content_type, std::string body);
  // No body (204 by default).
  static Response empty(int status = 204);
  // A body of unknown length, written piece by piece with back-pressure
  // (memory stays constant whatever its size).
  static Response streamed(int status, std::string content_type, BodyProducer producer);
};

// The standard reason phrase ("Not Found"), "Unknown" for codes it does not know.
std::string_view reason_phrase(int status);

}  // namespace marina::http
