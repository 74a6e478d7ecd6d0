#pragma once
// Client options for tests that stop and start a Redis server: reconnect
// within tens of milliseconds instead of the production backoff.
#include <chrono>
#include <string>

#include "marina/redis/options.hpp"

namespace marina::testing {

inline redis::Options fast_reconnect(const std::string& url) {
  using namespace std::chrono_literals;
  redis::Options o = redis::parse_url(url);
  o.reconnect_min = 20ms;
  o.reconnect_max = 200ms;
  o.connect_timeout = 1s;
  return o;
}

}  // namespace marina::testing
