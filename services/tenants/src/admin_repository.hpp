#pragma once
// The SQL of admin commands over Nostr that is theirs alone (configuration
// and rules go through policy.cpp like the HTTP routes): the relay an admin
// command is for with its sealed key and admins, the replay guard
// (admin_command_requests, migrations/0008), and the relay's statistics.
#include <chrono>
#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "model.hpp"

namespace marina::tenants::admin {

// A relay as the admin executor needs it.
struct AdminRelay {
  Relay relay;
  std::int64_t created_at_s = 0;       // unix seconds
  std::string sealed_secret;           // relays.relay_secret_enc (binary): opened only to sign and decrypt
  std::vector<std::string> admin_pubkeys;  // its admin_pubkeys configuration key, lower-case hex
};

std::optional<AdminRelay> load_admin_relay(pqxx::work& tx, const std::string& relay_id);

// Records request `request_id` for the relay: true the first time, false
// for a replay (the row exists already).
bool claim_request(pqxx::work& tx, const std::string& relay_id, const std::string& request_id,
                   const std::string& sender);
// Deletes guard rows received more than `retention` ago; how many.
std::int64_t purge_requests(pqxx::work& tx, std::chrono::seconds retention);

struct StatsLimits {
  std::size_t kinds = 50;    // rows of event_kinds
  std::size_t pubkeys = 10;  // rows of top_pubkeys
};
// seed 004's stats_query body (without query_type and timestamp), from this
// relay's events only, in one statement (so the command's statement timeout
// bounds it whole): database_size_bytes, total_events, database_created_at,
// latest_event_at, event_kinds, time_stats, top_pubkeys. As JSON text.
std::string relay_stats_json(pqxx::work& tx, const AdminRelay& relay, std::int64_t now_s, const StatsLimits& limits);

// {database_size_bytes, total_events} of the relay, for system_status.
struct RelaySize {
  std::int64_t database_size_bytes = 0;
  std::int64_t total_events = 0;
};
RelaySize relay_size(pqxx::work& tx, const std::string& relay_id);

}  // namespace marina::tenants::admin
