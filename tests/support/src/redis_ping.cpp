#include "redis_ping.hpp"

#include <hiredis/hiredis.h>

#include <string_view>

namespace marina::testing::detail {

bool redis_answers(const std::string& host, std::uint16_t port) {
  timeval timeout{0, 500'000};
  redisContext* ctx = redisConnectWithTimeout(host.c_str(), port, timeout);
  if (ctx == nullptr) return false;
  bool ok = false;
  if (ctx->err == 0) {
    auto* reply = static_cast<redisReply*>(redisCommand(ctx, "PING"));
    ok = reply != nullptr && reply->type == REDIS_REPLY_STATUS && std::string_view(reply->str, reply->len) == "PONG";
    if (reply != nullptr) freeReplyObject(reply);
  }
  redisFree(ctx);
  return ok;
}

}  // namespace marina::testing::detail
