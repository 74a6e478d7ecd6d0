#pragma once
// The one signature every HTTP endpoint has.
#include <boost/asio/awaitable.hpp>
#include <functional>

#include "marina/http/request.hpp"
#include "marina/http/response.hpp"

namespace marina::http {

// A handler may throw http::Error to answer with that problem; any other
// exception becomes a 500 problem whose detail reveals nothing.
using Handler = std::function<boost::asio::awaitable<Response>(Request&)>;

}  // namespace marina::http
