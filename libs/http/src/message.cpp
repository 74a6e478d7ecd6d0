#include "message.hpp"

#include "marina/core/log.hpp"

namespace marina::http::detail {

namespace http = boost::beast::http;

Request to_request_header(const BeastRequest& msg, const std::string& remote) {
  Request r = Request::make(std::string(msg.method_string()), std::string(msg.target()));
  for (const auto& f : msg) r.headers.add(std::string(f.name_string()), std::string(f.value()));
  r.remote_address = remote;
  r.version = msg.version();
  r.keep_alive = msg.keep_alive();
  return r;
}

Request to_request(BeastRequest&& msg, const std::string& remote) {
  Request r = to_request_header(msg, remote);
  r.body = std::move(msg.body());
  return r;
}

namespace {

void copy_header(const Response& res, unsigned version, http::response_header<>& out) {
  out.version(version);
  out.result(static_cast<unsigned>(res.status));
  for (const auto& [name, value] : res.headers) {
    // A CR or LF in a field would let a value smuggle extra headers or a second
    // response onto the connection.
    if (name.find_first_of("\r\n") != std::string::npos || value.find_first_of("\r\n") != std::string::npos) {
      log::error("response header dropped: contains CR or LF", {{"header", name}});
      continue;
    }
    out.insert(name, value);
  }
}

}  // namespace

StreamHeader to_stream_header(const Response& res, unsigned version, bool keep_alive, bool chunked) {
  StreamHeader out;
  copy_header(res, version, out);
  // A handler's own framing headers would contradict the streaming.
  out.erase(http::field::content_length);
  out.erase(http::field::transfer_encoding);
  if (chunked) out.chunked(true);
  out.keep_alive(keep_alive);
  return out;
}

BeastResponse to_beast(Response&& res, unsigned version, bool keep_alive, bool head) {
  BeastResponse out;
  copy_header(res, version, out);
  bool no_body_allowed = res.status == 204 || res.status == 304 || (res.status >= 100 && res.status < 200);
  if (no_body_allowed) res.body.clear();
  out.body() = std::move(res.body);
  out.prepare_payload();
  out.keep_alive(keep_alive);
  if (head && !no_body_allowed) {
    auto length = out.body().size();
    out.body().clear();
    out.content_length(length);
  }
  return out;
}

}  // namespace marina::http::detail
