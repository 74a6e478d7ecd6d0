#include "marina/streams/contracts.hpp"
#include "marina/streams/presence.hpp"

#include <gtest/gtest.h>

#include <exception>

using namespace marina::streams;

TEST(Contracts, IngestRequestRoundTrips) {
  IngestRequest r{"relay-1", "replica-a", 42, R"({"id":"x"})", 1700000000123, "127.0.0.1", {"aa", "bb"}};
  auto back = IngestRequest::decode(r.encode());
  EXPECT_EQ(back.relay_id, "relay-1");
  EXPECT_EQ(back.origin, "replica-a");
  EXPECT_EQ(back.connection, 42u);
  EXPECT_EQ(back.event_json, R"({"id":"x"})");
  EXPECT_EQ(back.received_ms, 1700000000123);
  EXPECT_EQ(back.client_ip, "127.0.0.1");
  EXPECT_EQ(back.auth_pubkeys, (std::vector<std::string>{"aa", "bb"}));
  IngestRequest none = r;
  none.auth_pubkeys.clear();
  EXPECT_TRUE(IngestRequest::decode(none.encode()).auth_pubkeys.empty());
}

// A client's EVENT is never an import unless the producer says so; an import
// survives the trip, and a flag that is neither 0 nor 1 is not guessed at.
TEST(Contracts, TheImportFlagIsExplicit) {
  IngestRequest client{"relay-1", "replica-a", 1, "{}", 1, "", {}};
  const Fields plain = client.encode();
  EXPECT_FALSE(IngestRequest::decode(plain).imported);
  for (const auto& [k, v] : plain) EXPECT_NE(k, "import");  // entries of relay-query are unchanged
  IngestRequest import = client;
  import.imported = true;
  EXPECT_TRUE(IngestRequest::decode(import.encode()).imported);
  Fields odd = plain;
  odd.emplace_back("import", "yes");
  EXPECT_THROW(IngestRequest::decode(odd), ContractError);
}

// Whether the producer checked the event's id travels with the entry, is
// never assumed, and a value that is neither 0 nor 1 is refused.
TEST(Contracts, TheIdCheckedFlagIsExplicit) {
  IngestRequest request{"relay-1", "replica-a", 1, "{}", 1, "", {}};
  EXPECT_FALSE(IngestRequest::decode(request.encode()).id_checked);
  request.id_checked = true;
  const Fields checked = request.encode();
  EXPECT_TRUE(IngestRequest::decode(checked).id_checked);
  Fields odd = checked;
  for (auto& [k, v] : odd)
    if (k == "idok") v = "true";
  EXPECT_THROW(IngestRequest::decode(odd), ContractError);
}

TEST(Contracts, ReplyAndEventsRoundTrip) {
  IngestReply rep{7, "abcd", false, "invalid: bad signature"};
  auto r = IngestReply::decode(rep.encode());
  EXPECT_EQ(r.connection, 7u);
  EXPECT_FALSE(r.accepted);
  EXPECT_EQ(r.message, "invalid: bad signature");
  auto e = AcceptedEvent::decode(AcceptedEvent{"r", "{}"}.encode());
  EXPECT_EQ(e.relay_id, "r");
  auto f = PlatformFact::decode(PlatformFact{std::string(kFactRelayCreated), "r", "pk", R"({"a":1})"}.encode());
  EXPECT_EQ(f.type, "relay.created");
  EXPECT_EQ(f.data, R"({"a":1})");
}

TEST(Contracts, BrokenEntriesAreRefused) {
  auto fields = IngestReply{1, "id", true, ""}.encode();
  Fields wrong_version = fields;
  wrong_version[0].second = "2";
  EXPECT_THROW(IngestReply::decode(wrong_version), ContractError);
  Fields missing = {{"v", "1"}, {"id", "x"}, {"ok", "1"}};
  EXPECT_THROW(IngestReply::decode(missing), ContractError);
  Fields bad_int = {{"v", "1"}, {"conn", "x1"}, {"id", "x"}, {"ok", "1"}};
  EXPECT_THROW(IngestReply::decode(bad_int), ContractError);
  Fields bad_ok = {{"v", "1"}, {"conn", "1"}, {"id", "x"}, {"ok", "yes"}};
  EXPECT_THROW(IngestReply::decode(bad_ok), ContractError);
}

// A broken entry is a std::exception whose what() names the rule it breaks,
// so a catch of std::exception (or core::describe) logs why.
TEST(Contracts, AContractErrorIsAStdExceptionNamingTheRule) {
  const Fields missing = {{"v", "1"}, {"id", "x"}, {"ok", "1"}};
  try {
    IngestReply::decode(missing);
    FAIL() << "decode accepted an entry without 'conn'";
  } catch (const std::exception& e) {
    EXPECT_STREQ(e.what(), "missing field 'conn'");
  }
}

// An admin command travels with its relay and the event as received; an
// entry missing any of them, or of another version, is refused, not guessed.
TEST(Contracts, AdminRequestRoundTripsAndRefusesBrokenEntries) {
  const AdminRequest request{"relay-1", R"({"kind":23456})", 1700000000123};
  const Fields fields = request.encode();
  const AdminRequest back = AdminRequest::decode(fields);
  EXPECT_EQ(back.relay_id, "relay-1");
  EXPECT_EQ(back.event_json, R"({"kind":23456})");
  EXPECT_EQ(back.received_ms, 1700000000123);
  for (const char* name : {"v", "relay", "recv_ms", "event"}) {
    Fields missing;
    for (const auto& [k, v] : fields)
      if (k != name) missing.emplace_back(k, v);
    EXPECT_THROW(AdminRequest::decode(missing), ContractError) << name;
  }
  Fields empty_relay = fields;
  for (auto& [k, v] : empty_relay)
    if (k == "relay") v.clear();
  EXPECT_THROW(AdminRequest::decode(empty_relay), ContractError);
  Fields future = fields;
  for (auto& [k, v] : future)
    if (k == "v") v = "2";
  EXPECT_THROW(AdminRequest::decode(future), ContractError);
  Fields bad_time = fields;
  for (auto& [k, v] : bad_time)
    if (k == "recv_ms") v = "soon";
  EXPECT_THROW(AdminRequest::decode(bad_time), ContractError);
}

// A replica's presence report survives the trip; what is not one is refused.
TEST(Contracts, PresenceReportRoundTripsAndRefusesGarbage) {
  PresenceReport report;
  report.relays = {{"relay-a", 3, 7}, {"relay-b", 1, 0}};
  const PresenceReport back = PresenceReport::decode(report.encode());
  ASSERT_EQ(back.relays.size(), 2u);
  EXPECT_EQ(back.relays[0].relay_id, "relay-a");
  EXPECT_EQ(back.relays[0].connections, 3u);
  EXPECT_EQ(back.relays[0].subscriptions, 7u);
  EXPECT_EQ(back.relays[1].relay_id, "relay-b");
  EXPECT_TRUE(PresenceReport::decode(PresenceReport{}.encode()).relays.empty());
  for (const char* bad : {"", "v2\n", "v1\nrelay 1", "v1\nrelay x 2\n", "v1\nrelay 1\n", "v1\n 1 2\n"})
    EXPECT_THROW(PresenceReport::decode(bad), ContractError) << bad;
}
