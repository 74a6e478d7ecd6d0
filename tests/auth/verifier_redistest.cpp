// The /verify handler in-process against a real Redis: what the ingress gets
// back for good and bad tokens, one use per mutating token, the failure rate
// limit per address and pubkey, the passport it issues, its metrics, and what happens
// when Redis is gone.
#include "verifier.hpp"

#include <gtest/gtest.h>

#include <boost/asio/this_coro.hpp>
#include <cstdio>
#include <random>
#include <nlohmann/json.hpp>

#include "marina/http/error.hpp"
#include "marina/metrics/registry.hpp"
#include "marina/nostr/keys.hpp"
#include "marina/nostr/sha256.hpp"
#include "marina/passport/request_check.hpp"
#include "marina/redis/client.hpp"
#include "marina/testing/co_assert.hpp"
#include "marina/testing/free_port.hpp"
#include "marina/testing/run.hpp"
#include "marina/testing/shared_servers.hpp"
#include "token_helpers.hpp"

namespace marina::auth {
namespace {

using boost::asio::awaitable;
using testing::auth_template;
using testing::header_for;
using testing::kNow;
using marina::testing::run_async;

const std::string kSecret(32, 'p');
const std::string kHost = "api.test:8080";
const std::string kAlice = nostr::public_key(testing::alice()).hex();
const std::string kAdmin = nostr::public_key(testing::admin()).hex();

std::string url_of(const std::string& uri) { return "http://" + kHost + uri; }

Settings test_settings() {
  Settings s;
  s.window = std::chrono::seconds(60);
  s.failures_per_minute = 3;
  s.admins = AdminKeys::parse({kAdmin});
  s.passport_secret = kSecret;
  std::string bad;
  s.trusted_proxies = *http::TrustedProxies::parse({"127.0.0.1"}, bad);
  return s;
}

class VerifierTest : public ::testing::Test {
 protected:
  // The auth subrequest the local nginx makes for `method uri`.
  http::Request subrequest(const std::string& method, const std::string& uri,
                           std::optional<std::string> authorization) const {
    auto r = http::Request::make("GET", "/verify");
    r.remote_address = "127.0.0.1";
    r.headers.set("X-Original-Method", method);
    r.headers.set("X-Original-URI", uri);
    r.headers.set("Host", kHost);
    r.headers.set("X-Forwarded-Proto", "http");
    // Unique per test: rate-limit counters live in the Redis all tests share.
    r.headers.set("X-Forwarded-For", client_);
    if (authorization) r.headers.set("Authorization", *authorization);
    return r;
  }

  // Runs `body(verifier, registry)` against the shared Redis at kNow.
  template <typename Body>
  void with_verifier(Body body, Settings settings = test_settings(), std::optional<std::string> redis_url = {}) {
    run_async([&]() -> awaitable<void> {
      auto ex = co_await boost::asio::this_coro::executor;
      redis::Client redis(ex, redis::parse_url(redis_url.value_or(marina::testing::shared_redis().url())));
      if (!redis_url) {
        // The test keys' failures are counted per pubkey at the fixed kNow:
        // each test starts from none, whatever the tests before it did.
        std::vector<std::string> keys;
        for (const auto& key : {kAlice, kAdmin})
          keys.push_back("marina:auth:failures:pubkey:" + key + ":" + std::to_string(kNow / 60));
        co_await redis.del(keys);
      }
      metrics::Registry registry;
      Verifier verifier(settings, redis, registry, [] { return kNow; });
      co_await body(verifier, registry);
      redis.close();
    });
  }

  // Rate-limit counters live in the Redis all tests share (and outlive a run):
  // each test gets addresses of its own, real ones (only an IP address in
  // X-Forwarded-For is believed).
  static std::string random_prefix() {
    std::random_device random;
    char text[64];
    std::snprintf(text, sizeof text, "2001:db8:%x:%x:%x:%x::", random() & 0xffff, random() & 0xffff,
                  random() & 0xffff, random() & 0xffff);
    return text;
  }
  std::string address(int host) const { return prefix_ + std::to_string(host); }
  std::string prefix_ = random_prefix();
  std::string client_ = address(1);
};

// The request tenants would receive from the ingress after a 200.
http::Request upstream_request(const http::Response& verified, const std::string& method, const std::string& uri,
                               std::string body = {}) {
  auto r = http::Request::make(method, uri);
  for (const auto& [name, value] : verified.headers) {
    if (name.starts_with("X-Auth-")) r.headers.set(name, value);
  }
  r.body = std::move(body);
  return r;
}

const passport::RequestCheck kCheck(passport::Signer(kSecret), [] { return kNow; });

std::string error_code_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const http::Error& e) {
    return e.code();
  }
  return "accepted";
}

TEST_F(VerifierTest, AcceptedTokenYieldsIdentityHeadersAndAPassportForThisRequest) {
  with_verifier([&](Verifier& v, metrics::Registry&) -> awaitable<void> {
    const std::string uri = "/tenant/whoami?x=1";
    auto r = co_await v.verify(subrequest("GET", uri, header_for(auth_template("GET", url_of(uri)))));
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.headers.get("X-Auth-Pubkey"), kAlice);
    EXPECT_EQ(r.headers.get("X-Auth-Role"), "tenant");
    EXPECT_FALSE(r.headers.contains("X-Auth-Payload"));
    EXPECT_FALSE(r.headers.contains("X-Auth-Error"));
    MARINA_CO_ASSERT_TRUE(r.headers.contains("X-Auth-Passport"));

    auto who = kCheck.identify(upstream_request(r, "GET", uri));
    EXPECT_EQ(who.pubkey, kAlice);
    EXPECT_EQ(who.role, passport::Role::tenant);
    // Bound to the request it was issued for.
    EXPECT_EQ(error_code_of([&] { kCheck.identify(upstream_request(r, "GET", "/tenant/whoami")); }),
              "passport-bad-signature");
    EXPECT_EQ(error_code_of([&] { kCheck.identify(upstream_request(r, "DELETE", uri)); }), "passport-bad-signature");
  });
}

TEST_F(VerifierTest, AdminsGetTheAdminRole) {
  with_verifier([&](Verifier& v, metrics::Registry&) -> awaitable<void> {
    auto r = co_await v.verify(
        subrequest("GET", "/admin/tenants", header_for(auth_template("GET", url_of("/admin/tenants")), testing::admin())));
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.headers.get("X-Auth-Pubkey"), kAdmin);
    EXPECT_EQ(r.headers.get("X-Auth-Role"), "admin");
    EXPECT_EQ(kCheck.require_admin(upstream_request(r, "GET", "/admin/tenants")).pubkey, kAdmin);
  });
}

TEST_F(VerifierTest, PayloadHashTravelsToTheServiceThatGetsTheBody) {
  with_verifier([&](Verifier& v, metrics::Registry&) -> awaitable<void> {
    const std::string body = R"({"name":"my-relay"})";
    auto t = auth_template("POST", url_of("/tenant/relays"));
    t.tags.push_back({"payload", nostr::sha256(body).hex()});
    auto r = co_await v.verify(subrequest("POST", "/tenant/relays", header_for(t)));
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.headers.get("X-Auth-Payload"), nostr::sha256(body).hex());
    EXPECT_EQ(kCheck.identify(upstream_request(r, "POST", "/tenant/relays", body)).pubkey, kAlice);
    EXPECT_EQ(error_code_of([&] { kCheck.identify(upstream_request(r, "POST", "/tenant/relays", R"({"name":"x"})")); }),
              "payload-mismatch");
  });
}

TEST_F(VerifierTest, RefusalIsA401ProblemNamingTheReason) {
  with_verifier([&](Verifier& v, metrics::Registry&) -> awaitable<void> {
    auto t = auth_template("GET", url_of("/tenant"));
    t.kind = 1;
    auto r = co_await v.verify(subrequest("GET", "/tenant", header_for(t)));
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.headers.get("WWW-Authenticate"), "Nostr");
    EXPECT_EQ(r.headers.get("X-Auth-Error"), "wrong-kind");
    EXPECT_EQ(r.headers.get("Content-Type"), "application/problem+json");
    EXPECT_FALSE(r.headers.contains("X-Auth-Passport"));
    auto problem = nlohmann::json::parse(r.body);
    EXPECT_EQ(problem["code"], "wrong-kind");
    EXPECT_EQ(problem["status"], 401);
    EXPECT_EQ(problem["type"], "https://marina.dev/problems/wrong-kind");

    auto missing = co_await v.verify(subrequest("GET", "/tenant", std::nullopt));
    EXPECT_EQ(missing.headers.get("X-Auth-Error"), "missing-authorization");

    auto twice = subrequest("GET", "/tenant", header_for(auth_template("GET", url_of("/tenant"))));
    twice.headers.add("Authorization", header_for(auth_template("GET", url_of("/tenant"))));
    EXPECT_EQ((co_await v.verify(twice)).headers.get("X-Auth-Error"), "bad-scheme");
  });
}

TEST_F(VerifierTest, MutatingTokensWorkOnceAndReadsMayReuse) {
  auto roomy = test_settings();
  roomy.failures_per_minute = 100;  // four replays here are not an attack
  with_verifier([&](Verifier& v, metrics::Registry&) -> awaitable<void> {
    for (std::string method : {"POST", "PUT", "PATCH", "DELETE"}) {
      const auto header = header_for(auth_template(method, url_of("/tenant/relays/7")));
      EXPECT_EQ((co_await v.verify(subrequest(method, "/tenant/relays/7", header))).status, 200) << method;
      auto again = co_await v.verify(subrequest(method, "/tenant/relays/7", header));
      EXPECT_EQ(again.status, 401) << method;
      EXPECT_EQ(again.headers.get("X-Auth-Error"), "replayed") << method;
    }
    const auto get = header_for(auth_template("GET", url_of("/tenant/relays/7")));
    EXPECT_EQ((co_await v.verify(subrequest("GET", "/tenant/relays/7", get))).status, 200);
    EXPECT_EQ((co_await v.verify(subrequest("GET", "/tenant/relays/7", get))).status, 200);
  }, roomy);
}

// A client that repeats a request within one second signs an event with the
// same id (same content, tags, created_at); its fresh signature makes it a
// new token, not a replay. The exact header seen before is still refused.
TEST_F(VerifierTest, SameRequestSignedAgainInTheSameSecondIsNotAReplay) {
  with_verifier([&](Verifier& v, metrics::Registry&) -> awaitable<void> {
    const auto tmpl = auth_template("POST", url_of("/tenant/relays/9/reactivate"));
    const auto first = header_for(tmpl);
    const auto second = header_for(tmpl);
    EXPECT_NE(first, second);  // randomized BIP-340 signatures
    EXPECT_EQ(nostr::sign(tmpl, testing::alice()).id, nostr::sign(tmpl, testing::alice()).id);
    EXPECT_EQ((co_await v.verify(subrequest("POST", "/tenant/relays/9/reactivate", first))).status, 200);
    EXPECT_EQ((co_await v.verify(subrequest("POST", "/tenant/relays/9/reactivate", second))).status, 200);
    auto replay = co_await v.verify(subrequest("POST", "/tenant/relays/9/reactivate", second));
    EXPECT_EQ(replay.headers.get("X-Auth-Error"), "replayed");
  });
}

TEST_F(VerifierTest, UsedTokenIsRememberedUntilItWouldBeStaleAnyway) {
  run_async([&]() -> awaitable<void> {
    auto ex = co_await boost::asio::this_coro::executor;
    redis::Client redis(ex, redis::parse_url(marina::testing::shared_redis().url()));
    metrics::Registry registry;
    Verifier v(test_settings(), redis, registry, [] { return kNow; });
    // Signed 20 s ago: valid for 40 s more.
    auto event = nostr::sign(auth_template("POST", url_of("/tenant/relays"), kNow - 20), testing::alice());
    auto r = co_await v.verify(subrequest("POST", "/tenant/relays", "Nostr " + nostr::base64_encode(event.raw)));
    EXPECT_EQ(r.status, 200);
    auto ttl = (co_await redis.command("TTL", "marina:auth:used:" + event.sig_hex())).as_integer();
    EXPECT_GE(ttl, 39);
    EXPECT_LE(ttl, 41);
    redis.close();
  });
}

TEST_F(VerifierTest, BadTokensFromAnAddressOverBudgetAreRateLimitedUntilTheMinuteEnds) {
  with_verifier([&](Verifier& v, metrics::Registry& registry) -> awaitable<void> {
    const auto wrong = header_for(auth_template("GET", url_of("/elsewhere")));
    for (int i = 0; i < 3; ++i) {
      EXPECT_EQ((co_await v.verify(subrequest("GET", "/tenant", wrong))).status, 401) << i;
    }
    auto limited = co_await v.verify(subrequest("GET", "/tenant", wrong));
    EXPECT_EQ(limited.status, 403);
    EXPECT_EQ(limited.headers.get("X-Auth-Error"), "rate-limited");
    EXPECT_EQ(nlohmann::json::parse(limited.body)["code"], "rate-limited");
    EXPECT_EQ(limited.headers.get("Retry-After"), std::to_string(60 - kNow % 60));
    // Garbage too, refused before any signature work.
    EXPECT_EQ((co_await v.verify(subrequest("GET", "/tenant", "Nostr %%%"))).status, 403);
    EXPECT_EQ((co_await v.verify(subrequest("GET", "/tenant", std::nullopt))).status, 403);
    // A token that could be valid but whose signature is not: also refused.
    EXPECT_EQ((co_await v.verify(
                   subrequest("GET", "/tenant", testing::header_with_replaced(auth_template("GET", url_of("/tenant")), "sig")))).status,
              403);

    auto text = registry.serialize();
    EXPECT_NE(text.find("marina_auth_verifications_total{result=\"rate-limited\"} 4"), std::string::npos) << text;
    EXPECT_NE(text.find("marina_auth_verifications_total{result=\"wrong-url\"} 3"), std::string::npos) << text;
  });
}

// The people behind the attacker's address (a NAT, a shared proxy) keep working.
TEST_F(VerifierTest, AValidFreshTokenIsNeverRefusedForItsNeighboursFailures) {
  with_verifier([&](Verifier& v, metrics::Registry&) -> awaitable<void> {
    for (int i = 0; i < 5; ++i) co_await v.verify(subrequest("GET", "/tenant", "Nostr %%%"));
    EXPECT_EQ((co_await v.verify(subrequest("GET", "/tenant", "Nostr %%%"))).status, 403);

    const auto good = header_for(auth_template("GET", url_of("/tenant")));
    EXPECT_EQ((co_await v.verify(subrequest("GET", "/tenant", good))).status, 200);
    EXPECT_EQ((co_await v.verify(subrequest("GET", "/tenant", good))).status, 200) << "GET tokens may be reused";
    const auto post = header_for(auth_template("POST", url_of("/tenant/relays")), testing::admin());
    auto accepted = co_await v.verify(subrequest("POST", "/tenant/relays", post));
    EXPECT_EQ(accepted.status, 200);
    EXPECT_EQ(accepted.headers.get("X-Auth-Role"), "admin");
    // A replay is not a fresh token: while over budget it is rate-limited.
    auto replayed = co_await v.verify(subrequest("POST", "/tenant/relays", post));
    EXPECT_EQ(replayed.status, 403);
    EXPECT_EQ(replayed.headers.get("X-Auth-Error"), "rate-limited");
  });
}

// Failures also count against the pubkey a token claims, from any address:
// its bad tokens are rate-limited everywhere, its valid ones pass everywhere.
TEST_F(VerifierTest, FailuresCountAgainstTheClaimedPubkeyToo) {
  with_verifier([&](Verifier& v, metrics::Registry&) -> awaitable<void> {
    const auto forged = testing::header_with_replaced(auth_template("GET", url_of("/tenant")), "sig");
    for (int i = 0; i < 3; ++i) {
      auto r = subrequest("GET", "/tenant", forged);
      r.headers.set("X-Forwarded-For", address(10 + i));
      EXPECT_EQ((co_await v.verify(r)).status, 401) << i;
    }
    auto fresh_address = subrequest("GET", "/tenant", forged);
    fresh_address.headers.set("X-Forwarded-For", address(20));
    auto limited = co_await v.verify(fresh_address);
    EXPECT_EQ(limited.status, 403) << "alice's pubkey is over budget";
    EXPECT_EQ(limited.headers.get("X-Auth-Error"), "rate-limited");

    auto valid = subrequest("GET", "/tenant", header_for(auth_template("GET", url_of("/tenant"))));
    valid.headers.set("X-Forwarded-For", address(20));
    EXPECT_EQ((co_await v.verify(valid)).status, 200) << "alice herself still gets in";
    auto someone_else = subrequest("GET", "/tenant", header_for(auth_template("GET", url_of("/elsewhere")), testing::admin()));
    someone_else.headers.set("X-Forwarded-For", address(20));
    EXPECT_EQ((co_await v.verify(someone_else)).headers.get("X-Auth-Error"), "wrong-url")
        << "another pubkey's failures at that address are ordinary 401s";
  });
}

// Only the configured proxies may name the client: anything else connecting
// to auth is counted as itself, whatever X-Forwarded-For / X-Real-IP say.
TEST_F(VerifierTest, ForwardedAddressesAreBelievedOnlyFromTrustedProxies) {
  with_verifier([&](Verifier& v, metrics::Registry&) -> awaitable<void> {
    const std::string peer = address(2);  // not a trusted proxy
    for (int i = 0; i < 3; ++i) {
      auto r = subrequest("GET", "/tenant", "Nostr %%%");
      r.remote_address = peer;
      r.headers.set("X-Forwarded-For", address(100 + i));
      r.headers.set("X-Real-IP", address(200 + i));
      EXPECT_EQ((co_await v.verify(r)).status, 401) << i;
    }
    auto r = subrequest("GET", "/tenant", "Nostr %%%");
    r.remote_address = peer;
    r.headers.set("X-Forwarded-For", address(300));
    EXPECT_EQ((co_await v.verify(r)).status, 403) << "all three failures were counted against " << peer;
  });
}

TEST_F(VerifierTest, MetricsCountEveryResultAndTheLatency) {
  with_verifier([&](Verifier& v, metrics::Registry& registry) -> awaitable<void> {
    co_await v.verify(subrequest("GET", "/tenant", header_for(auth_template("GET", url_of("/tenant")))));
    co_await v.verify(subrequest("GET", "/tenant", header_for(auth_template("GET", url_of("/tenant"), kNow - 600))));
    auto text = registry.serialize();
    EXPECT_NE(text.find("marina_auth_verifications_total{result=\"ok\"} 1"), std::string::npos) << text;
    EXPECT_NE(text.find("marina_auth_verifications_total{result=\"stale\"} 1"), std::string::npos) << text;
    // Every reason exists from the start, at zero.
    EXPECT_NE(text.find("marina_auth_verifications_total{result=\"future\"} 0"), std::string::npos) << text;
    EXPECT_NE(text.find("marina_auth_verification_duration_seconds_count 2"), std::string::npos) << text;
  });
}

TEST_F(VerifierTest, IncompleteSubrequestIsAnIngressProblem) {
  with_verifier([&](Verifier& v, metrics::Registry&) -> awaitable<void> {
    auto r = subrequest("GET", "/tenant", header_for(auth_template("GET", url_of("/tenant"))));
    r.headers.remove("X-Original-Method");
    auto answer = co_await v.verify(r);
    EXPECT_EQ(answer.status, 500);
    EXPECT_EQ(nlohmann::json::parse(answer.body)["code"], "ingress-misconfigured");
  });
}

TEST_F(VerifierTest, WithoutRedisReadsPassAndWritesAreRefused) {
  const std::string nowhere = "redis://127.0.0.1:" + std::to_string(marina::testing::free_port());
  with_verifier(
      [&](Verifier& v, metrics::Registry& registry) -> awaitable<void> {
        auto get = co_await v.verify(subrequest("GET", "/tenant", header_for(auth_template("GET", url_of("/tenant")))));
        EXPECT_EQ(get.status, 200);
        auto post = co_await v.verify(
            subrequest("POST", "/tenant/relays", header_for(auth_template("POST", url_of("/tenant/relays")))));
        EXPECT_EQ(post.status, 503);
        EXPECT_EQ(post.headers.get("X-Auth-Error"), "auth-unavailable");
        EXPECT_FALSE(post.headers.contains("X-Auth-Passport"));
        auto text = registry.serialize();
        EXPECT_NE(text.find("marina_auth_backend_errors_total{operation=\"replay\"} 1"), std::string::npos) << text;
        EXPECT_NE(text.find("marina_auth_verifications_total{result=\"unavailable\"} 1"), std::string::npos) << text;
      },
      test_settings(), nowhere);
}

}  // namespace
}  // namespace marina::auth
