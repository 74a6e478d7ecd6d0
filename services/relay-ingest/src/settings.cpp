#include "marina/relay_ingest/settings.hpp"

#include <unistd.h>

#include <cstdio>

#include "marina/core/config.hpp"

namespace marina::relay_ingest {

using std::chrono::milliseconds;
using namespace std::chrono_literals;

std::string default_consumer_name() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') std::snprintf(host, sizeof host, "relay-ingest");
  return std::string(host) + "-" + std::to_string(::getpid());
}

IngestSettings declare_ingest_settings(core::Config& c) {
  IngestSettings s;
  s.consumer = c.string("REPLICA_ID", "", "Consumer name in group `ingest` (default: hostname-pid). Keep it stable across "
                                          "restarts so a restarted replica re-processes its own pending entries at once");
  if (s.consumer.empty()) s.consumer = default_consumer_name();
  s.batch_size = static_cast<std::size_t>(
      c.integer("INGEST_BATCH_SIZE", 500, 1, 10000, "Stream entries read at once and stored in one transaction"));
  s.commit_interval = c.duration(
      "INGEST_COMMIT_INTERVAL", s.commit_interval, 0ms, 1s,
      "Shortest time between the starts of two commits: below the write path's capacity, events that arrive "
      "meanwhile share one transaction (one WAL flush) instead of paying a commit each; adds at most this to EVENT->OK");
  s.block = c.duration("INGEST_BLOCK", s.block, 10ms, 10s, "XREADGROUP BLOCK time; also how fast a stop is noticed");
  s.claim_idle = c.duration("INGEST_CLAIM_IDLE", s.claim_idle, 1s, 1h,
                            "A pending entry idle this long is claimed from its (presumably dead) consumer");
  s.claim_interval = c.duration("INGEST_CLAIM_INTERVAL", s.claim_interval, 100ms, 10min,
                                "How often to look for pending entries of dead consumers");
  s.consumer_expiry = c.duration("INGEST_CONSUMER_EXPIRY", s.consumer_expiry, 1min, 24h * 30,
                                 "A consumer with nothing pending that has been idle this long is removed from the group");
  s.events_maxlen = static_cast<std::size_t>(
      c.integer("EVENTS_STREAM_MAXLEN", 100000, 100, 100000000, "Approximate length kept of marina:events"));
  s.replies_maxlen = static_cast<std::size_t>(
      c.integer("REPLIES_STREAM_MAXLEN", 10000, 100, 100000000, "Approximate length kept of each marina:replies:<replica>"));
  s.admin_maxlen = static_cast<std::size_t>(c.integer(
      "ADMIN_STREAM_MAXLEN", 10000, 100, 100000000,
      "Approximate length kept of marina:admin (admin commands waiting for tenants; a backlog bound)"));
  s.retry_min = c.duration("INGEST_RETRY_MIN", s.retry_min, 1ms, 1min, "First delay before retrying a batch that failed");
  s.retry_max = c.duration("INGEST_RETRY_MAX", s.retry_max, 1ms, 10min, "Longest delay between retries of a failed batch");
  s.purge_interval = c.duration("EXPIRED_PURGE_INTERVAL", s.purge_interval, 1s, 24h,
                                "How often events past their NIP-40 expiration are deleted");
  s.purge_batch = static_cast<std::size_t>(
      c.integer("EXPIRED_PURGE_BATCH", 1000, 1, 1000000, "Expired events deleted per statement (several per run)"));
  s.lag_interval = c.duration("INGEST_LAG_INTERVAL", s.lag_interval, 100ms, 10min,
                              "How often the stream lag metrics (pending entries, oldest age) are refreshed");
  s.verify_threads = static_cast<std::size_t>(c.integer(
      "INGEST_VERIFY_THREADS", 1, 0, 64,
      "Threads that parse events and check signatures while the previous batch commits (0: on the I/O thread)"));
  s.relay = relay::declare_relay_settings(c);
  return s;
}

}  // namespace marina::relay_ingest
