#pragma once
// What every client session uses, owned by the service for its whole run.
#include "marina/nostr/client_message.hpp"
#include "marina/relay_query/query_settings.hpp"

namespace marina::store {
class EventStore;
class RelayDirectory;
}  // namespace marina::store

namespace marina::relay_query {

class LiveHub;
class ActivityLog;
class ConnectionRegistry;
class IngestQueue;
class QueryProbe;

struct SessionContext {
  const QuerySettings& settings;
  nostr::MessageLimits message_limits;  // from settings.relay.limits
  store::EventStore& store;
  store::RelayDirectory& directory;
  LiveHub& hub;
  ConnectionRegistry& connections;
  IngestQueue& ingest;
  QueryProbe& probe;
  // Subscription lifecycle rows (subscription_events).
  ActivityLog& activity;
};

// The parser bounds for client messages, from the relay limits.
nostr::MessageLimits message_limits(const relay::RelayLimits& limits);

}  // namespace marina::relay_query
