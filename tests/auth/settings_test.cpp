// auth's configuration: defaults, overrides, and values that stop the service
// with a one-line reason.
#include "settings.hpp"

#include <gtest/gtest.h>

#include <map>

#include "marina/core/config.hpp"
#include "marina/nostr/keys.hpp"
#include "marina/nostr/nip19.hpp"
#include "token_helpers.hpp"

namespace marina::auth {
namespace {

const nostr::PublicKey kAlice = nostr::public_key(testing::alice());
const nostr::PublicKey kAdmin = nostr::public_key(testing::admin());

core::Config config_of(std::map<std::string, std::string> env) {
  return core::Config([env](const std::string& name) -> std::optional<std::string> {
    auto it = env.find(name);
    if (it == env.end()) return std::nullopt;
    return it->second;
  });
}

TEST(AuthSettings, DefaultsAndOverrides) {
  auto defaults = config_of({{"PASSPORT_SECRET", std::string(32, 's')}});
  auto s = declare_settings(defaults);
  defaults.finish();
  EXPECT_EQ(s.window, std::chrono::seconds(60));
  EXPECT_EQ(s.max_header_bytes, 8u * 1024);
  EXPECT_EQ(s.failures_per_minute, 30);
  EXPECT_EQ(s.passport_lifetime, std::chrono::seconds(30));
  EXPECT_EQ(s.admins.size(), 0u);

  auto custom = config_of({{"PASSPORT_SECRET", std::string(32, 's')},
                           {"AUTH_WINDOW", "2m"},
                           {"AUTH_MAX_HEADER_BYTES", "4096"},
                           {"AUTH_FAILURES_PER_MINUTE", "5"},
                           {"HOSTING_ADMIN_PUBKEYS", kAlice.hex() + ", " + nostr::nip19::encode_npub(kAdmin)}});
  s = declare_settings(custom);
  custom.finish();
  EXPECT_EQ(s.window, std::chrono::seconds(120));
  EXPECT_EQ(s.max_header_bytes, 4096u);
  EXPECT_EQ(s.failures_per_minute, 5);
  EXPECT_TRUE(s.admins.contains(kAdmin));
}

TEST(AuthSettings, BadValuesStopTheService) {
  auto missing_secret = config_of({});
  declare_settings(missing_secret);
  EXPECT_THROW(missing_secret.finish(), core::ConfigError);

  auto short_secret = config_of({{"PASSPORT_SECRET", "short"}});
  EXPECT_THROW(declare_settings(short_secret), core::ConfigError);

  auto bad_admin = config_of({{"PASSPORT_SECRET", std::string(32, 's')}, {"HOSTING_ADMIN_PUBKEYS", "alice"}});
  try {
    declare_settings(bad_admin);
    FAIL() << "a malformed admin key was accepted";
  } catch (const core::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("HOSTING_ADMIN_PUBKEYS"), std::string::npos) << e.what();
  }

  auto bad_window = config_of({{"PASSPORT_SECRET", std::string(32, 's')}, {"AUTH_WINDOW", "0s"}});
  declare_settings(bad_window);
  EXPECT_THROW(bad_window.finish(), core::ConfigError);
}

}  // namespace
}  // namespace marina::auth
