#pragma once
// TCP_NOTSENT_LOWAT: how many bytes written but not yet sent the kernel holds
// before a write waits. Data the client has not acknowledged is not counted,
// so throughput is the network's; what it bounds is the backlog in front of a
// reader that stopped reading, which keeps room in the send buffer for the
// close frame of a reader dropped for being slow (Session::drop_slow_reader).
#include <boost/asio/detail/socket_option.hpp>
#include <netinet/in.h>
#include <netinet/tcp.h>

namespace marina::relay_query {

using UnsentLimit = boost::asio::detail::socket_option::integer<IPPROTO_TCP, TCP_NOTSENT_LOWAT>;

// The limit while a connection is healthy.
constexpr int kUnsentBytes = 128 * 1024;

}  // namespace marina::relay_query
