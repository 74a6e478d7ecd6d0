// Whether a relay serves clients, and the words a client reads when it does
// not: one answer for relay-query and relay-ingest.
#include "marina/relay/serving.hpp"

#include <gtest/gtest.h>

namespace marina::relay {
namespace {

TEST(Serving, InactiveRelaysDoNotServeClients) {
  store::Relay r;
  r.status = store::RelayStatus::active;
  EXPECT_TRUE(serves_clients(r));
  r.status = store::RelayStatus::suspended;
  EXPECT_TRUE(serves_clients(r)) << "a suspended relay still serves reads";
  r.status = store::RelayStatus::inactive;
  EXPECT_FALSE(serves_clients(r));
}

TEST(RelayRefusal, SaysWhyARelayTakesNoEvents) {
  store::Relay r;
  EXPECT_EQ(event_refusal(&r), std::nullopt);
  r.status = store::RelayStatus::suspended;
  EXPECT_EQ(event_refusal(&r), "blocked: this relay is suspended");
  r.status_reason = "unpaid since May";
  EXPECT_EQ(event_refusal(&r), "blocked: unpaid since May");
  r.status = store::RelayStatus::inactive;
  r.status_reason = "";
  EXPECT_EQ(event_refusal(&r), "blocked: this relay is not active");
}

// relay-query used to answer "blocked: this relay is no longer active" for an
// inactive or deleted relay whatever its reason; relay-ingest's words are the
// ones kept.
TEST(RelayRefusal, AnInactiveRelayGivesItsReasonAndAGoneOneIsNoSuchRelay) {
  store::Relay r;
  r.status = store::RelayStatus::inactive;
  r.status_reason = "closed by its owner";
  EXPECT_EQ(event_refusal(&r), "blocked: closed by its owner");
  r.status_reason = "";
  EXPECT_EQ(event_refusal(&r), "blocked: " + std::string(kNotActive));
  EXPECT_EQ(event_refusal(nullptr), "blocked: no such relay") << "a relay that no longer exists";
}

}  // namespace
}  // namespace marina::relay
