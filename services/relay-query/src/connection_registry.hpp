#pragma once
// The client connections of this replica: by connection id (where an OK that
// comes back from relay-ingest goes), counted per client IP (the
// connections-per-IP bound, RELAY_MAX_CONNECTIONS_PER_IP) and per relay (its
// max_connections and max_total_subscriptions, which therefore count on this
// replica only). Thread-safe.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace marina::relay_query {

class Session;

class ConnectionRegistry {
 public:
  explicit ConnectionRegistry(std::size_t max_per_ip);
  ConnectionRegistry(const ConnectionRegistry&) = delete;
  ConnectionRegistry& operator=(const ConnectionRegistry&) = delete;

  // The counts, shared with the slots: a slot may be released after the
  // registry is gone (a session destroyed with the io_context at exit).
  class Counts;

  // One admitted connection of an IP to a relay; the counts go down when it
  // is destroyed (its subscriptions with it).
  class Slot {
   public:
    Slot(std::shared_ptr<Counts> counts, std::string ip, std::string relay_id)
        : counts_(std::move(counts)), ip_(std::move(ip)), relay_id_(std::move(relay_id)) {}
    Slot(Slot&& other) noexcept = default;
    Slot& operator=(Slot&&) = delete;
    Slot(const Slot&) = delete;
    ~Slot();
    const std::string& ip() const { return ip_; }
    const std::string& relay_id() const { return relay_id_; }

    // One more subscription of this connection on its relay, unless the
    // relay holds `max` on this replica already.
    bool open_subscription(std::size_t max);
    void close_subscription();

   private:
    std::shared_ptr<Counts> counts_;
    std::string ip_;
    std::string relay_id_;
    std::size_t subscriptions_ = 0;  // this connection's share of its relay's count
  };

  enum class Refusal { none, too_many_from_ip, relay_full };
  struct Admission {
    std::optional<Slot> slot;
    Refusal refusal = Refusal::none;
  };
  // A slot for one more connection from `ip` to `relay_id`: refused when the
  // IP has max_per_ip, or the relay has `max_relay_connections`, here.
  Admission admit(const std::string& ip, const std::string& relay_id, std::size_t max_relay_connections);
  std::size_t connections_from(const std::string& ip) const;
  std::size_t connections_to(const std::string& relay_id) const;
  std::size_t subscriptions_of(const std::string& relay_id) const;
  // Every relay with a connection here: (relay id, connections, subscriptions).
  struct RelayCount {
    std::string relay_id;
    std::size_t connections = 0;
    std::size_t subscriptions = 0;
  };
  std::vector<RelayCount> relay_counts() const;

  // Connection ids are unique across restarts of the replica (a random high
  // half), so a late reply meant for a previous process reaches nobody.
  std::uint64_t next_id();

  void add(std::uint64_t id, std::weak_ptr<Session> session);
  void remove(std::uint64_t id);
  std::shared_ptr<Session> find(std::uint64_t id) const;
  std::vector<std::shared_ptr<Session>> all() const;
  std::size_t size() const;

 private:
  const std::size_t max_per_ip_;
  const std::shared_ptr<Counts> counts_;
  mutable std::mutex mu_;
  std::unordered_map<std::uint64_t, std::weak_ptr<Session>> sessions_;
  std::uint64_t next_id_;
};

}  // namespace marina::relay_query
