#include <limits>
#include <regex>

#include "marina/core/log.hpp"
#include "marina/http/error.hpp"
#include "marina/http/json.hpp"
#include "marina/pg/pool.hpp"
#include "marina/redis/client.hpp"
#include "marina/streams/contracts.hpp"
#include "routes.hpp"
#include "views.hpp"

namespace marina::billing {
namespace {

namespace asio = boost::asio;
using http::Request;
using http::Response;

constexpr std::int64_t kMaxPrice = 1'000'000'000'000'000;  // the table's bound (10,000 BTC)
constexpr std::size_t kMaxFeatures = 32;

http::Error invalid(const std::string& detail) {
  return http::Error(400, "invalid-field", "Invalid field", detail);
}

std::int64_t integer_field(const nlohmann::json& v, const std::string& key, std::int64_t min, std::int64_t max) {
  if (!v.is_number_integer()) throw invalid(key + " is an integer.");
  if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(max))
    throw invalid(key + " is at most " + std::to_string(max) + ".");
  const auto n = v.get<std::int64_t>();
  if (n < min || n > max)
    throw invalid(key + " is from " + std::to_string(min) + " to " + std::to_string(max) + ".");
  return n;
}

// The body of PUT /admin/plans/:id: any of the fields, each checked against
// the bounds the table enforces (the minimums the relay keys need).
store::PlanChanges read_plan_changes(const Request& req) {
  const auto body = http::parse_json(req);
  if (!body.is_object()) throw invalid("The body is a JSON object.");
  if (body.empty()) throw invalid("Name at least one field to change.");
  store::PlanChanges c;
  constexpr std::int64_t kBig = std::numeric_limits<std::int64_t>::max();
  for (const auto& entry : body.items()) {
    const std::string& key = entry.key();
    const nlohmann::json& v = entry.value();
    if (key == "name") {
      if (!v.is_string() || v.get<std::string>().empty() || v.get<std::string>().size() > 100)
        throw invalid("name is a string of 1 to 100 bytes.");
      c.name = v.get<std::string>();
    } else if (key == "price_msats") {
      c.price_msats = integer_field(v, key, 0, kMaxPrice);
    } else if (key == "max_relays") {
      c.max_relays = integer_field(v, key, 0, kBig);
    } else if (key == "max_stored_events") {
      c.max_stored_events = integer_field(v, key, 0, kBig);
    } else if (key == "max_connections") {
      c.max_connections = integer_field(v, key, 1, kBig);
    } else if (key == "max_subscriptions") {
      c.max_subscriptions = integer_field(v, key, 100, kBig);
    } else if (key == "max_events_per_minute") {
      c.max_events_per_minute = integer_field(v, key, 1, kBig);
    } else if (key == "max_whitelist_rules") {
      c.max_whitelist_rules = integer_field(v, key, 0, kBig);
    } else if (key == "features") {
      static const std::regex word("^[a-z0-9-]{1,64}$");
      if (!v.is_array() || v.size() > kMaxFeatures)
        throw invalid("features is an array of at most " + std::to_string(kMaxFeatures) + " words.");
      std::vector<std::string> features;
      for (const auto& f : v) {
        if (!f.is_string() || !std::regex_match(f.get<std::string>(), word))
          throw invalid("Each feature is 1 to 64 of a-z, 0-9 and '-'.");
        features.push_back(f.get<std::string>());
      }
      c.features = std::move(features);
    } else {
      throw invalid("Unknown field '" + key + "'.");
    }
  }
  return c;
}

}  // namespace

void add_plan_routes(http::Router& router, pg::Pool& db, redis::Client& redis, const passport::RequestCheck& check) {
  router.get("/plans", [d = &db](Request&) -> asio::awaitable<Response> {
    auto plans = co_await d->transaction([](pqxx::work& tx) { return store::list_plans(tx); });
    nlohmann::json data = nlohmann::json::array();
    for (const auto& p : plans) data.push_back(plan_json(p));
    const nlohmann::json out{{"data", std::move(data)}};
    co_return http::json_response(out);
  });

  router.put("/admin/plans/:id", [d = &db, r = &redis, c = &check](Request& req) -> asio::awaitable<Response> {
    const auto admin = c->require_admin(req);
    const std::string id(req.param("id"));
    store::PlanChanges changes = read_plan_changes(req);
    auto plan = co_await d->transaction([&](pqxx::work& tx) { return store::update_plan(tx, id, changes); });
    if (!plan) throw http::Error(404, "plan-not-found", "Plan not found", "There is no plan '" + id + "'.");
    log::info("plan changed", {{"plan", id}, {"by", admin.pubkey}});
    // After the commit; PostgreSQL is the truth and the relay services
    // reload every minute anyway, so a failed publish is logged, not an error.
    streams::PlatformFact fact;
    fact.type = std::string(streams::kFactPlanUpdated);
    fact.data = nlohmann::json{{"plan", id}, {"by", admin.pubkey}}.dump();
    try {
      redis::XAddOptions options;
      options.maxlen = 100'000;
      co_await r->xadd(streams::kPlatformStream, fact.encode(), options);
    } catch (const std::exception& e) {
      log::error("platform fact not published", {{"type", fact.type}, {"error", e.what()}});
    }
    co_return http::json_response(plan_json(*plan));
  });
}

}  // namespace marina::billing
