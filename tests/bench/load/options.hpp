#pragma once
// marina-load's command line. Every run is bounded: by a count (events,
// requests, connections) and by a wall-clock duration, and it only ever
// connects to 127.0.0.1.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace marina::load {

struct Options {
  std::string mode;                          // ingest | direct | query | fanout | idle | ndjson
  std::uint16_t port = 0;                    // 127.0.0.1:<port>: nginx, or relay-query itself
  std::string host = "bench.relay.localhost";  // Host header: which relay (nginx and relay-query route by it)
  std::size_t connections = 10;
  double rate = 0;                           // events per second in total; 0 = as fast as the window allows
  std::size_t count = 10000;                 // events to publish (ingest, direct, fanout) or REQs (query)
  std::chrono::seconds duration{30};         // the timed part never runs longer
  std::size_t event_bytes = 600;             // size of each event's JSON
  std::size_t authors = 100;                 // distinct signing keys (fanout: authors followed)
  std::string seed = "bench";                // the keys derive from it: same seed, same authors
  std::size_t window = 32;                   // EVENTs awaiting their OK per connection when rate = 0 (relay-query allows 64)
  std::vector<std::string> filters;          // query: one filter JSON per --filter ("@authors:N" = first N authors)
  std::size_t subscriptions = 10;            // fanout: subscriptions per connection
  std::size_t publishers = 4;                // fanout: connections the events are published on, in turn
  std::chrono::seconds hold{5};              // idle: how long the connections stay open
  int pid = 0;                               // idle: the process whose RSS is reported (relay-query)
  std::string redis_url;                     // direct: redis://127.0.0.1:<port>
  std::string relay_id;                      // direct: the relay's uuid
  std::int64_t span_days = 0;                // ndjson, ingest: created_at spread over this many days up to now
  bool quiet = false;                        // only the JSON line
};

// Throws std::invalid_argument with a message saying what is wrong.
Options parse_options(int argc, char** argv);

const char* usage();

}  // namespace marina::load
