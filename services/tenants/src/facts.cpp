#include "facts.hpp"

#include "marina/core/log.hpp"
#include "marina/metrics/registry.hpp"
#include "marina/redis/client.hpp"
#include "marina/streams/contracts.hpp"

namespace marina::tenants {

FactPublisher::FactPublisher(redis::Client& redis, metrics::Registry& registry)
    : redis_(redis),
      published_(registry.counter("marina_tenants_facts_total", "Facts published on marina:platform.", {"result"})
                     .with({"published"})),
      failed_(registry.counter("marina_tenants_facts_total", "Facts published on marina:platform.", {"result"})
                  .with({"failed"})) {}

boost::asio::awaitable<void> FactPublisher::publish(std::string_view type, std::string relay_id,
                                                    std::string tenant_pubkey, std::string data_json) {
  streams::PlatformFact fact;
  fact.type = std::string(type);
  fact.relay_id = std::move(relay_id);
  fact.tenant_pubkey = std::move(tenant_pubkey);
  fact.data = std::move(data_json);
  try {
    redis::XAddOptions options;
    // Consumers follow the stream live and reconcile from PostgreSQL on start:
    // a long tail is never needed.
    options.maxlen = 100'000;
    co_await redis_.xadd(streams::kPlatformStream, fact.encode(), options);
    published_.inc();
  } catch (const std::exception& e) {
    failed_.inc();
    log::error("platform fact not published", {{"type", fact.type}, {"relay_id", fact.relay_id}, {"error", e.what()}});
  }
}

}  // namespace marina::tenants
