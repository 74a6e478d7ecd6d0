#include "marina/http/response.hpp"

#include <boost/beast/http/status.hpp>

namespace marina::http {

Response Response::text(std::string body, int status) {
  return with_body(status, "text/plain; charset=utf-8", std::move(body));
}

Response Response::with_body(int status, std::string content_type, std::string body) {
  Response r;
  r.status = status;
  r.headers.set("Content-Type", std::move(content_type));
  r.body = std::move(body);
  return r;
}

Response Response::empty(int status) {
  Response r;
  r.status = status;
  return r;
}

Response Response::streamed(int status, std::string content_type, BodyProducer producer) {
  Response r;
  r.status = status;
  r.headers.set("Content-Type", std::move(content_type));
  r.producer = std::move(producer);
  return r;
}

std::string_view reason_phrase(int status) {
  auto s = boost::beast::http::int_to_status(static_cast<unsigned>(status));
  if (s == boost::beast::http::status::unknown) return "Unknown";
  auto text = boost::beast::http::obsolete_reason(s);
  return {text.data(), text.size()};
}

}  // namespace marina::http
