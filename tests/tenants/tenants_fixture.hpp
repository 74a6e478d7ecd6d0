#pragma once
// What the tenants pg tests share: a migrated database per test suite, a pool,
// the hosting rules and the relay policy over it, facts recorded instead of
// published, and helpers to create relays and read problem codes.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "hosting.hpp"
#include "marina/metrics/registry.hpp"
#include "marina/pg/pool.hpp"
#include "marina/testing/run.hpp"
#include "policy.hpp"

namespace marina::tenants {

struct RecordedFact {
  std::string type, relay_id, tenant_pubkey, data;
};

class RecordingSink final : public FactSink {
 public:
  boost::asio::awaitable<void> publish(std::string_view type, std::string relay_id, std::string tenant_pubkey,
                                       std::string data) override;
  std::vector<std::string> types_for(const std::string& relay_id);
  std::vector<RecordedFact> facts_for(const std::string& relay_id);
  std::vector<RecordedFact> facts;

 private:
  std::mutex mutex_;
};

std::string new_pubkey();
// The problem code `f` threw, or "ok".
std::string problem_code(const std::function<void()>& f);

class TenantsPgTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite();
  TenantsPgTest();

  template <typename F>
  auto run(F f) {
    return marina::testing::run_async(std::move(f));
  }

  Relay create(const std::string& owner, const std::string& subdomain, std::optional<std::string> plan = {});
  // Plans are rows: each test starts from the limits it counts on.
  void set_max_relays(const std::string& plan, int n);
  std::string unique(const std::string& prefix);
  pqxx::result query(const std::string& sql);

  static std::string* url_;
  std::unique_ptr<pg::Pool> pool_;
  RecordingSink sink_;
  Settings settings_;
  metrics::Registry registry_;
  std::unique_ptr<Hosting> hosting_;
  std::unique_ptr<Policy> policy_;
};

}  // namespace marina::tenants
