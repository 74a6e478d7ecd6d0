#pragma once
// Publishes lifecycle facts on marina:platform after the change committed.
// PostgreSQL stays the source of truth (every consumer reconciles from it and
// relay-query loads an unknown subdomain from the database on a miss), so a
// Redis failure here is logged and counted, not turned into a failed request
// whose change has in fact happened.
#include <boost/asio/awaitable.hpp>
#include <string>
#include <string_view>

#include "marina/metrics/counter.hpp"

namespace marina::redis {
class Client;
}
namespace marina::metrics {
class Registry;
}

namespace marina::tenants {

// Where the hosting rules send their facts (the tests record them instead).
class FactSink {
 public:
  virtual ~FactSink() = default;
  virtual boost::asio::awaitable<void> publish(std::string_view type, std::string relay_id,
                                               std::string tenant_pubkey, std::string data_json) = 0;
};

class FactPublisher final : public FactSink {
 public:
  FactPublisher(redis::Client& redis, metrics::Registry& registry);

  boost::asio::awaitable<void> publish(std::string_view type, std::string relay_id, std::string tenant_pubkey,
                                       std::string data_json) override;

 private:
  redis::Client& redis_;
  metrics::Counter published_;
  metrics::Counter failed_;
};

}  // namespace marina::tenants
