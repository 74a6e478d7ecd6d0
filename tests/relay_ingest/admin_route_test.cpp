// Which ephemeral events relay-ingest hands to tenants instead of
// broadcasting: kind 23456 naming the relay's own key in a p tag, and no other.
#include <gtest/gtest.h>

#include "admin_route.hpp"
#include "marina/nostr/event_sign.hpp"

namespace marina::relay_ingest {
namespace {

nostr::Event event(nostr::Kind kind, nostr::Tags tags) {
  nostr::EventTemplate t;
  t.created_at = 1700000000;
  t.kind = kind;
  t.tags = std::move(tags);
  t.content = "x";
  return nostr::sign(t, nostr::SecretKey::generate());
}

const std::string kRelay(64, 'a');
const std::string kOther(64, 'b');

TEST(AdminRoute, A23456ForTheRelaysKeyIsAnAdminCommand) {
  EXPECT_TRUE(is_admin_command(event(23456, {{"p", kRelay}}), kRelay));
  EXPECT_TRUE(is_admin_command(event(23456, {{"p", kOther}, {"p", kRelay}}), kRelay)) << "any p tag";
}

TEST(AdminRoute, AnythingElseIsNot) {
  EXPECT_FALSE(is_admin_command(event(23456, {{"p", kOther}}), kRelay)) << "addressed to someone else";
  EXPECT_FALSE(is_admin_command(event(23456, {}), kRelay)) << "addressed to nobody";
  EXPECT_FALSE(is_admin_command(event(23457, {{"p", kRelay}}), kRelay)) << "a response kind";
  EXPECT_FALSE(is_admin_command(event(1, {{"p", kRelay}}), kRelay)) << "a note mentioning the relay";
  EXPECT_FALSE(is_admin_command(event(23456, {{"e", kRelay}}), kRelay)) << "not a p tag";
  EXPECT_FALSE(is_admin_command(event(23456, {{"p", kRelay}}), "")) << "a relay without a key";
  EXPECT_FALSE(is_admin_command(event(23456, {{"p"}}), kRelay)) << "a p tag without a value";
}

}  // namespace
}  // namespace marina::relay_ingest
