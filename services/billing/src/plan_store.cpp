#include "plan_store.hpp"

namespace marina::billing::store {
namespace {

const std::string kColumns =
    "id, name, price_msats, max_relays, max_stored_events, max_connections, max_subscriptions, "
    "max_events_per_minute, max_whitelist_rules, array_to_json(features)::text, "
    R"(to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))";

// features as a JSON array of [a-z0-9-] words (the route checked them): no quoting to undo.
std::vector<std::string> features_from(std::string json) {
  std::vector<std::string> out;
  std::string word;
  bool in = false;
  for (char c : json) {
    if (c == '"') {
      if (in) out.push_back(word);
      word.clear();
      in = !in;
    } else if (in) {
      word += c;
    }
  }
  return out;
}

Plan plan_from(const pqxx::row& r) {
  Plan p;
  p.id = r[0].c_str();
  p.name = r[1].c_str();
  p.price_msats = r[2].as<std::int64_t>();
  p.max_relays = r[3].as<std::int64_t>();
  p.max_stored_events = r[4].as<std::int64_t>();
  p.max_connections = r[5].as<std::int64_t>();
  p.max_subscriptions = r[6].as<std::int64_t>();
  p.max_events_per_minute = r[7].as<std::int64_t>();
  p.max_whitelist_rules = r[8].as<std::int64_t>();
  p.features = features_from(r[9].c_str());
  p.updated_at = r[10].c_str();
  return p;
}

}  // namespace

std::vector<Plan> list_plans(pqxx::work& tx) {
  std::vector<Plan> out;
  for (const auto& r : tx.exec("SELECT " + kColumns + " FROM plans ORDER BY price_msats, id")) out.push_back(plan_from(r));
  return out;
}

std::optional<Plan> find_plan(pqxx::work& tx, const std::string& id) {
  const auto rows = tx.exec_params("SELECT " + kColumns + " FROM plans WHERE id = $1", id);
  if (rows.empty()) return std::nullopt;
  return plan_from(rows[0]);
}

std::optional<Plan> update_plan(pqxx::work& tx, const std::string& id, const PlanChanges& c) {
  std::optional<std::string> features;
  if (c.features) {
    // A text[] literal of checked words ({a,b-c}): nothing to escape.
    std::string lit = "{";
    for (std::size_t i = 0; i < c.features->size(); ++i) lit += (i ? "," : "") + (*c.features)[i];
    features = lit + "}";
  }
  const auto rows = tx.exec_params(
      "UPDATE plans SET name = coalesce($2, name), price_msats = coalesce($3, price_msats), "
      "max_relays = coalesce($4, max_relays), max_stored_events = coalesce($5, max_stored_events), "
      "max_connections = coalesce($6, max_connections), max_subscriptions = coalesce($7, max_subscriptions), "
      "max_events_per_minute = coalesce($8, max_events_per_minute), "
      "max_whitelist_rules = coalesce($9, max_whitelist_rules), features = coalesce($10::text[], features) "
      "WHERE id = $1 RETURNING " +
          kColumns,
      id, c.name, c.price_msats, c.max_relays, c.max_stored_events, c.max_connections, c.max_subscriptions,
      c.max_events_per_minute, c.max_whitelist_rules, features);
  if (rows.empty()) return std::nullopt;
  return plan_from(rows[0]);
}

}  // namespace marina::billing::store
