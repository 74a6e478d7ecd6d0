#pragma once
// POST /tenant/relays/:id/import: NDJSON events into a relay through the
// normal write path. Each line is parsed here (so a malformed line is reported
// with its number at once), then handed to relay-ingest as an IngestRequest
// on marina:ingest, exactly like an EVENT from a client; relay-ingest
// verifies the signature, applies the relay's policy, stores it and answers on
// marina:replies:<origin>, where origin is this import's own reply stream.
// The connection id of each request is its line number, so every outcome
// maps back to a line. Nothing is written to the events tables from here.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace marina::redis {
class Client;
}

namespace marina::tenants {

struct ImportProblem {
  std::int64_t line = 0;
  std::string reason;
};

struct ImportResult {
  std::int64_t imported = 0;    // accepted and new
  std::int64_t duplicates = 0;  // accepted, already stored (or an older replaceable)
  std::int64_t invalid = 0;     // refused: malformed, bad id/signature, policy
  std::vector<ImportProblem> problems;
};

struct ImportRequest {
  std::string relay_id;
  std::string owner_pubkey;  // the importing tenant, as the connection's authenticated pubkey
  std::string client_ip;
  std::string_view ndjson;
  std::size_t max_events = 10'000;
  std::chrono::milliseconds timeout{60'000};
};

// Throws http::Error 413 import-too-large when there are more lines than
// max_events. Lines still without an outcome at the timeout are reported as
// problems ("error: no outcome from the write path in time").
boost::asio::awaitable<ImportResult> import_events(redis::Client& redis, const ImportRequest& request);

}  // namespace marina::tenants
