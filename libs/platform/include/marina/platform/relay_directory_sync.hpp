#pragma once
// Keeps a relay service's RelayDirectory in step with the platform; relay-query
// and relay-ingest both run one.
//
//   - Start: the follower is positioned on marina:platform first, then every
//     relay is loaded from PostgreSQL, so no fact published meanwhile is lost.
//   - Each fact that names a relay re-reads that relay, whole (RelayDirectory
//     caches a relay as one unit: its record and whatever settings it
//     carries). Every kind of relay fact takes this one path: lifecycle
//     (relay.created, .suspended, ...) as much as relay.config_changed or
//     relay.auth_rules_changed (relay_to_refresh). A fact about a tenant
//     reloads every relay (reloads_directory).
//   - Reconcile: every relay is loaded again every `reconcile_every`, after a
//     gap in following (the follower's `resumed`: facts may have been lost),
//     and soon after a load or a re-read failed (with backoff). The stream is
//     a hint, PostgreSQL the truth.
//
// A listener hears of each change: relay-query closes the connections of a
// relay that stopped serving.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>

#include "marina/core/backoff.hpp"

namespace marina::redis { class StreamFollower; struct StreamEntry; }
namespace marina::store { class RelayDirectory; struct Relay; }
namespace marina::streams { struct PlatformFact; }

namespace marina::platform {

// What a service does when its directory changes. Exceptions it lets out end
// RelayDirectorySync::run(), so it logs its own failures.
class RelayDirectoryListener {
 public:
  virtual ~RelayDirectoryListener() = default;
  // A fact named `relay_id` and the relay was re-read: `relay` is what the
  // directory holds now (nullptr: no such relay any more).
  virtual boost::asio::awaitable<void> relay_refreshed(const std::string& relay_id,
                                                       std::shared_ptr<const store::Relay> relay) = 0;
  // Every relay was loaded again.
  virtual boost::asio::awaitable<void> directory_reloaded() = 0;
  // marina:platform is readable again after a gap (a reload follows).
  virtual void platform_stream_resumed() {}
};

struct RelayDirectorySyncOptions {
  std::chrono::milliseconds reconcile_every{60'000};
  // After a failed load or re-read, the next load: first delay, doubling to the cap.
  std::chrono::milliseconds retry_min{100};
  std::chrono::milliseconds retry_max{5'000};
};
static_assert(std::is_trivially_destructible_v<RelayDirectorySyncOptions>);

// The relay a fact asks to re-read: any fact that names one. nullopt for a
// fact about a tenant or an invoice only.
std::optional<std::string> relay_to_refresh(const streams::PlatformFact& fact);
// True for a fact that changes what several relays carry: a tenant's standing
// (tenant.updated), which every relay of the tenant carries
// (store::Relay::tenant_suspended), or a plan's limits (plan.updated), which
// every relay on the plan carries. Rare, so every relay is loaded again.
bool reloads_directory(const streams::PlatformFact& fact);

class RelayDirectorySync {
 public:
  // `follower` follows marina:platform on a Redis connection of its own.
  // Everything passed must outlive run().
  RelayDirectorySync(redis::StreamFollower& follower, store::RelayDirectory& directory,
                     RelayDirectorySyncOptions options = {}, RelayDirectoryListener* listener = nullptr);

  // Until the follower is stopped, or the coroutine is cancelled.
  boost::asio::awaitable<void> run();

 private:
  using Clock = std::chrono::steady_clock;

  boost::asio::awaitable<void> reload();
  boost::asio::awaitable<void> apply(const redis::StreamEntry& entry);

  redis::StreamFollower& follower_;
  store::RelayDirectory& directory_;
  RelayDirectorySyncOptions options_;
  RelayDirectoryListener* listener_;
  core::Backoff backoff_;
  bool loaded_once_ = false;
  Clock::time_point reload_at_{};  // the next reload is due then
};

}  // namespace marina::platform
