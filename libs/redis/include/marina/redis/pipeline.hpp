#pragma once
// Several Redis commands at once: all are sent before any reply is awaited,
// so a batch costs one round trip instead of one per command.
#include <boost/asio/awaitable.hpp>
#include <string>
#include <vector>

#include "marina/redis/client.hpp"

namespace marina::redis {

using Command = std::vector<std::string>;

// Issues `commands` on `client` in this order (the client writes them to its
// one connection in the order they are issued from this coroutine's strand,
// and Redis executes them in that order), then waits for every reply.
// Replies come back in command order; error replies are returned as such.
// If any command failed outright (Unavailable), that exception is
// rethrown once all have completed: the caller cannot know which ran.
// Call it from a strand (an App task) or a single-threaded io_context.
//
//   std::vector<redis::Command> commands{{"XACK", stream, group, id}, {"XDEL", stream, id}};
//   for (const auto& r : co_await redis::pipeline(client, std::move(commands))) r.throw_if_error();
boost::asio::awaitable<std::vector<Reply>> pipeline(Client& client, std::vector<Command> commands);

}  // namespace marina::redis
