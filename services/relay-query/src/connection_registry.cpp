#include "connection_registry.hpp"

#include <random>

namespace marina::relay_query {

class ConnectionRegistry::IpCounts {
 public:
  bool admit(const std::string& ip, std::size_t max) {
    std::lock_guard lock(mu_);
    auto& count = counts_[ip];
    if (count >= max) {
      if (count == 0) counts_.erase(ip);
      return false;
    }
    ++count;
    return true;
  }

  void release(const std::string& ip) {
    std::lock_guard lock(mu_);
    auto it = counts_.find(ip);
    if (it == counts_.end()) return;
    if (--it->second == 0) counts_.erase(it);
  }

  std::size_t of(const std::string& ip) const {
    std::lock_guard lock(mu_);
    auto it = counts_.find(ip);
    return it == counts_.end() ? 0 : it->second;
  }

 private:
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::size_t> counts_;
};

ConnectionRegistry::ConnectionRegistry(std::size_t max_per_ip)
    : max_per_ip_(max_per_ip), per_ip_(std::make_shared<IpCounts>()) {
  std::random_device rd;
  next_id_ = (static_cast<std::uint64_t>(rd()) << 32) | 1;
}

ConnectionRegistry::IpSlot::~IpSlot() {
  if (counts_) counts_->release(ip_);
}

std::optional<ConnectionRegistry::IpSlot> ConnectionRegistry::admit(const std::string& ip) {
  if (!per_ip_->admit(ip, max_per_ip_)) return std::nullopt;
  return IpSlot(per_ip_, ip);
}

std::size_t ConnectionRegistry::connections_from(const std::string& ip) const { return per_ip_->of(ip); }

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
