#pragma once
// Conversions between Beast's messages and the library's Request/Response.
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "marina/http/request.hpp"
#include "marina/http/response.hpp"
#include "stream_writer.hpp"

namespace marina::http::detail {

using BeastRequest = boost::beast::http::request<boost::beast::http::string_body>;
using BeastResponse = boost::beast::http::response<boost::beast::http::string_body>;

// Moves the body out of `msg`.
Request to_request(BeastRequest&& msg, const std::string& remote);
// A Request from a header alone (upgrade requests, errors before the body was read).
Request to_request_header(const BeastRequest& msg, const std::string& remote);

// `head`: answer to a HEAD request (Content-Length of the body, no body).
BeastResponse to_beast(Response&& res, unsigned version, bool keep_alive, bool head);

// The header of a streamed response: Transfer-Encoding: chunked when `chunked`
// (HTTP/1.1), neither chunked nor a Content-Length otherwise (the body ends
// when the connection closes, so `keep_alive` must then be false).
StreamHeader to_stream_header(const Response& res, unsigned version, bool keep_alive, bool chunked);

}  // namespace marina::http::detail
