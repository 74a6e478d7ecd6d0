#pragma once
// The client connections of this replica: by connection id (where an OK that
// comes back from relay-ingest goes), and counted per client IP (the
// connections-per-IP bound). Thread-safe.
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

  // The per-IP counts, shared with the slots: a slot may be released after
  // the registry is gone (a session destroyed with the io_context at exit).
  class IpCounts;

  // One admitted connection of an IP; the count goes down when it is destroyed.
  class IpSlot {
   public:
    IpSlot(std::shared_ptr<IpCounts> counts, std::string ip) : counts_(std::move(counts)), ip_(std::move(ip)) {}
    IpSlot(IpSlot&& other) noexcept = default;
    IpSlot& operator=(IpSlot&&) = delete;
    IpSlot(const IpSlot&) = delete;
    ~IpSlot();
    const std::string& ip() const { return ip_; }

   private:
    std::shared_ptr<IpCounts> counts_;
    std::string ip_;
  };

  // A slot for one more connection from `ip`, or nullopt when it has max_per_ip.
  std::optional<IpSlot> admit(const std::string& ip);
  std::size_t connections_from(const std::string& ip) const;

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
  const std::shared_ptr<IpCounts> per_ip_;
  mutable std::mutex mu_;
  std::unordered_map<std::uint64_t, std::weak_ptr<Session>> sessions_;
  std::uint64_t next_id_;
};

}  // namespace marina::relay_query
