#pragma once
#include <hiredis/hiredis.h>

#include "marina/redis/reply.hpp"

namespace marina::redis::detail {

// A deep copy of a hiredis reply (hiredis frees its own after the callback).
Reply from_hiredis(const redisReply* reply);

}  // namespace marina::redis::detail
