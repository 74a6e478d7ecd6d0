// Which platform facts re-read a relay: every fact that names one, whatever
// its kind (lifecycle, configuration, auth rules); and which reload them all.
#include <gtest/gtest.h>

#include "marina/platform/relay_directory_sync.hpp"
#include "marina/streams/contracts.hpp"

namespace marina::platform {
namespace {

constexpr const char* kRelay = "0b7c3f4e-2a59-4c1e-9d3b-5f6a7b8c9d0e";

streams::PlatformFact fact(std::string_view type, std::string relay_id) {
  return streams::PlatformFact{std::string(type), std::move(relay_id), std::string(64, 'a'), "{}"};
}

TEST(RelayToRefresh, EveryFactNamingARelayRereadsIt) {
  for (std::string_view type :
       {streams::kFactRelayCreated, streams::kFactRelayUpdated, streams::kFactRelayDeactivated,
        streams::kFactRelayReactivated, streams::kFactRelaySuspended, streams::kFactRelayConfigChanged,
        streams::kFactRelayAuthRulesChanged, streams::kFactInvoicePaid}) {
    EXPECT_EQ(relay_to_refresh(fact(type, kRelay)), kRelay) << type;
  }
}

TEST(RelayToRefresh, AFactAboutATenantOnlyRereadsNoOneRelay) {
  EXPECT_FALSE(relay_to_refresh(fact(streams::kFactTenantUpdated, "")));
  EXPECT_FALSE(relay_to_refresh(fact(streams::kFactInvoicePaid, "")));
}

// Every relay of a tenant carries its standing (a suspended owner stops the
// relays' EVENTs), and every relay on a plan its limits: a tenant fact or a
// plan fact reloads them all, and nothing else does.
TEST(ReloadsDirectory, OnlyATenantOrPlanFactReloadsEveryRelay) {
  EXPECT_TRUE(reloads_directory(fact(streams::kFactTenantUpdated, "")));
  EXPECT_TRUE(reloads_directory(fact(streams::kFactPlanUpdated, "")));
  EXPECT_FALSE(relay_to_refresh(fact(streams::kFactPlanUpdated, "")));
  EXPECT_FALSE(reloads_directory(fact(streams::kFactRelayConfigChanged, kRelay)));
  EXPECT_FALSE(reloads_directory(fact(streams::kFactRelaySuspended, kRelay)));
  EXPECT_FALSE(reloads_directory(fact(streams::kFactInvoicePaid, "")));
}

}  // namespace
}  // namespace marina::platform
