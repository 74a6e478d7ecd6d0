#pragma once
// How many clients a relay has right now, for system_status: every
// relay-query replica reports its connections and subscriptions per relay
// (libs/streams presence.hpp: marina:presence); this sums the reports of the
// replicas that reported recently. Reading only.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <string>

namespace marina::redis {
class Client;
}

namespace marina::tenants::admin {

class RelayPresence {
 public:
  struct Counts {
    std::int64_t connections = 0;
    std::int64_t subscriptions = 0;
  };

  // A replica's report counts while younger than `fresh_for`.
  RelayPresence(redis::Client& redis, std::chrono::milliseconds fresh_for) : redis_(redis), fresh_for_(fresh_for) {}

  // Throws what Redis throws.
  boost::asio::awaitable<Counts> of(std::string relay_id);

 private:
  redis::Client& redis_;
  std::chrono::milliseconds fresh_for_;
};

}  // namespace marina::tenants::admin
