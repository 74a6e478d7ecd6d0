// Whether a relay serves clients, and the words a client reads when it does
// not: one answer for relay-query and relay-ingest.
#include "marina/store/serving.hpp"

#include <gtest/gtest.h>

namespace marina::store {
namespace {

TEST(Serving, InactiveRelaysDoNotServeClients) {
  Relay r;
  r.status = RelayStatus::active;
  EXPECT_TRUE(serves_clients(r));
  r.status = RelayStatus::suspended;
  EXPECT_TRUE(serves_clients(r)) << "a suspended relay still serves reads";
  r.status = RelayStatus::inactive;
  EXPECT_FALSE(serves_clients(r));
}

TEST(RelayRefusal, SaysWhyARelayTakesNoEvents) {
  Relay r;
  EXPECT_EQ(event_refusal(&r), std::nullopt);
  r.status = RelayStatus::suspended;
  EXPECT_EQ(event_refusal(&r), "blocked: this relay is suspended");
  r.status_reason = "unpaid since May";
  EXPECT_EQ(event_refusal(&r), "blocked: unpaid since May");
  r.status = RelayStatus::inactive;
  r.status_reason = "";
  EXPECT_EQ(event_refusal(&r), "blocked: this relay is not active");
}

// relay-query used to answer "blocked: this relay is no longer active" for an
// inactive or deleted relay whatever its reason; relay-ingest's words are the
// ones kept.
TEST(RelayRefusal, AnInactiveRelayGivesItsReasonAndAGoneOneIsNoSuchRelay) {
  Relay r;
  r.status = RelayStatus::inactive;
  r.status_reason = "closed by its owner";
  EXPECT_EQ(event_refusal(&r), "blocked: closed by its owner");
  r.status_reason = "";
  EXPECT_EQ(event_refusal(&r), "blocked: " + std::string(kNotActive));
  EXPECT_EQ(event_refusal(nullptr), "blocked: no such relay") << "a relay that no longer exists";
}

TEST(RelayRefusal, ASuspendedOwnerStopsEveryEventButReadsGoOn) {
  Relay r;
  r.tenant_suspended = true;
  EXPECT_TRUE(serves_clients(r));
  EXPECT_EQ(event_refusal(&r), "blocked: the owner of this relay is suspended");
  r.tenant_status_reason = "abuse report 17";
  r.status = RelayStatus::suspended;
  r.status_reason = "unpaid";
  EXPECT_EQ(event_refusal(&r), "blocked: abuse report 17") << "the owner's suspension is said first";
  r.status = RelayStatus::inactive;
  r.status_reason = "";
  EXPECT_EQ(event_refusal(&r), "blocked: " + std::string(kNotActive)) << "an inactive relay stays inactive";
}

}  // namespace
}  // namespace marina::store
