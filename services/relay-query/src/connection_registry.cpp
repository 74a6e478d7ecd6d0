#include "connection_registry.hpp"

#include <algorithm>
#include <random>

namespace marina::relay_query {

class ConnectionRegistry::Counts {
 public:
  Refusal admit(const std::string& ip, std::size_t max_per_ip, const std::string& relay_id, std::size_t max_relay) {
    std::lock_guard lock(mu_);
    if (of(per_ip_, ip) >= max_per_ip) return Refusal::too_many_from_ip;
    if (of(relays_, relay_id).connections >= max_relay) return Refusal::relay_full;
    ++per_ip_[ip];
    ++relays_[relay_id].connections;
    return Refusal::none;
  }

  void release(const std::string& ip, const std::string& relay_id, std::size_t subscriptions) {
    std::lock_guard lock(mu_);
    if (auto it = per_ip_.find(ip); it != per_ip_.end() && --it->second == 0) per_ip_.erase(it);
    if (auto it = relays_.find(relay_id); it != relays_.end()) {
      it->second.subscriptions -= std::min(subscriptions, it->second.subscriptions);
      if (--it->second.connections == 0) relays_.erase(it);
    }
  }

  bool open_subscription(const std::string& relay_id, std::size_t max) {
    std::lock_guard lock(mu_);
    auto it = relays_.find(relay_id);
    if (it == relays_.end() || it->second.subscriptions >= max) return false;
    ++it->second.subscriptions;
    return true;
  }

  void close_subscription(const std::string& relay_id) {
    std::lock_guard lock(mu_);
    auto it = relays_.find(relay_id);
    if (it != relays_.end() && it->second.subscriptions > 0) --it->second.subscriptions;
  }

  std::size_t from_ip(const std::string& ip) const {
    std::lock_guard lock(mu_);
    return of(per_ip_, ip);
  }

  std::size_t connections_to(const std::string& relay_id) const {
    std::lock_guard lock(mu_);
    return of(relays_, relay_id).connections;
  }

  std::size_t subscriptions_of(const std::string& relay_id) const {
    std::lock_guard lock(mu_);
    return of(relays_, relay_id).subscriptions;
  }

  std::vector<RelayCount> relay_counts() const {
    std::lock_guard lock(mu_);
    std::vector<RelayCount> out;
    out.reserve(relays_.size());
    for (const auto& [id, c] : relays_) out.push_back({id, c.connections, c.subscriptions});
    return out;
  }

 private:
  struct RelayCounts {
    std::size_t connections = 0;
    std::size_t subscriptions = 0;
  };

  template <typename Map>
  static typename Map::mapped_type of(const Map& map, const std::string& key) {
    auto it = map.find(key);
    return it == map.end() ? typename Map::mapped_type{} : it->second;
  }

  mutable std::mutex mu_;
  std::unordered_map<std::string, std::size_t> per_ip_;
  std::unordered_map<std::string, RelayCounts> relays_;
};

ConnectionRegistry::ConnectionRegistry(std::size_t max_per_ip)
    : max_per_ip_(max_per_ip), counts_(std::make_shared<Counts>()) {
  std::random_device rd;
  next_id_ = (static_cast<std::uint64_t>(rd()) << 32) | 1;
}

ConnectionRegistry::Slot::~Slot() {
  if (counts_) counts_->release(ip_, relay_id_, subscriptions_);
}

bool ConnectionRegistry::Slot::open_subscription(std::size_t max) {
  if (!counts_->open_subscription(relay_id_, max)) return false;
  ++subscriptions_;
  return true;
}

void ConnectionRegistry::Slot::close_subscription() {
  if (subscriptions_ == 0) return;
  --subscriptions_;
  counts_->close_subscription(relay_id_);
}

ConnectionRegistry::Admission ConnectionRegistry::admit(const std::string& ip, const std::string& relay_id,
                                                        std::size_t max_relay_connections) {
  const Refusal refusal = counts_->admit(ip, max_per_ip_, relay_id, max_relay_connections);
  if (refusal != Refusal::none) return Admission{std::nullopt, refusal};
  return Admission{Slot(counts_, ip, relay_id), Refusal::none};
}

std::size_t ConnectionRegistry::connections_from(const std::string& ip) const { return counts_->from_ip(ip); }

std::size_t ConnectionRegistry::connections_to(const std::string& relay_id) const {
  return counts_->connections_to(relay_id);
}

std::size_t ConnectionRegistry::subscriptions_of(const std::string& relay_id) const {
  return counts_->subscriptions_of(relay_id);
}

std::vector<ConnectionRegistry::RelayCount> ConnectionRegistry::relay_counts() const { return counts_->relay_counts(); }

std::uint64_t ConnectionRegistry::next_id() {
  std::lock_guard lock(mu_);
  return next_id_++;
}

void ConnectionRegistry::add(std::uint64_t id, std::weak_ptr<Session> session) {
  std::lock_guard lock(mu_);
  sessions_[id] = std::move(session);
}

void ConnectionRegistry::remove(std::uint64_t id) {
  std::lock_guard lock(mu_);
  sessions_.erase(id);
}

std::shared_ptr<Session> ConnectionRegistry::find(std::uint64_t id) const {
  std::lock_guard lock(mu_);
  auto it = sessions_.find(id);
  return it == sessions_.end() ? nullptr : it->second.lock();
}

std::vector<std::shared_ptr<Session>> ConnectionRegistry::all() const {
  std::lock_guard lock(mu_);
  std::vector<std::shared_ptr<Session>> out;
  out.reserve(sessions_.size());
  for (const auto& [id, weak] : sessions_)
    if (auto s = weak.lock()) out.push_back(std::move(s));
  return out;
}

std::size_t ConnectionRegistry::size() const {
  std::lock_guard lock(mu_);
  return sessions_.size();
}

}  // namespace marina::relay_query
