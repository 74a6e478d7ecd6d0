#include "claimer.hpp"

#include "marina/core/log.hpp"
#include "marina/streams/contracts.hpp"

namespace marina::relay_ingest {

using Clock = std::chrono::steady_clock;

Claimer::Claimer(redis::Client& redis, const IngestSettings& settings, IngestProbe& probe)
    : redis_(redis), settings_(settings), probe_(probe), next_pass_(Clock::now() + settings.claim_interval) {}

bool Claimer::due() const { return in_pass_ || Clock::now() >= next_pass_; }

boost::asio::awaitable<std::vector<Delivery>> Claimer::claim(std::size_t count) {
  std::vector<Delivery> out;
  // A pass may meet only entries that are not idle enough: keep scanning
  // (a bounded number of steps) until something is claimed or the pass ends.
  for (int step = 0; step < 16 && out.empty(); ++step) {
    in_pass_ = true;
    auto result = co_await redis_.xautoclaim(streams::kIngestStream, streams::kIngestGroup, settings_.consumer,
                                             settings_.claim_idle, cursor_, count);
    for (auto& e : result.entries) out.push_back(Delivery{std::move(e.id), std::move(e.fields), true});
    cursor_ = result.next_id;
    if (cursor_ == "0-0") {
      in_pass_ = false;
      next_pass_ = Clock::now() + settings_.claim_interval;
      try {
        co_await remove_expired_consumers();
      } catch (const redis::Error& e) {
        // Tidying up can wait for the next pass; the claimed entries cannot.
        log::warn("could not remove idle consumers", {{"error", e.what()}});
      }
      break;
    }
  }
  if (!out.empty()) {
    probe_.claimed(out.size());
    log::info("claimed pending entries of another consumer", {{"entries", out.size()}});
  }
  co_return out;
}

boost::asio::awaitable<void> Claimer::remove_expired_consumers() {
  const redis::Reply info = co_await redis_.command("XINFO", "CONSUMERS", streams::kIngestStream, streams::kIngestGroup);
  if (info.is_error()) co_return;  // no group yet: nothing to tidy
  std::size_t removed = 0;
  for (const auto& consumer : info.as_array()) {
    // A flat [name, <name>, pending, <n>, idle, <ms>, ...] map per consumer.
    std::string name;
    std::int64_t pending = -1, idle = -1;
    const auto& f = consumer.as_array();
    for (std::size_t i = 0; i + 1 < f.size(); i += 2) {
      const std::string& key = f[i].as_string();
      if (key == "name") name = f[i + 1].as_string();
      if (key == "pending") pending = f[i + 1].as_integer();
      if (key == "idle") idle = f[i + 1].as_integer();
    }
    if (name.empty() || name == settings_.consumer || pending != 0 || idle < settings_.consumer_expiry.count()) continue;
    // DELCONSUMER of a consumer that meanwhile read something would drop its
    // pending entries from the list; the script re-checks and deletes atomically.
    const std::vector<std::string> keys{std::string(streams::kIngestStream)};
    const std::vector<std::string> args{std::string(streams::kIngestGroup), name};
    const redis::Reply deleted = co_await redis_.eval(R"(
for _, c in ipairs(redis.call('XINFO', 'CONSUMERS', KEYS[1], ARGV[1])) do
  local f = {}
  for i = 1, #c, 2 do f[c[i]] = c[i + 1] end
  if f['name'] == ARGV[2] then
    if f['pending'] == 0 then return redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2]) end
    return -1
  end
end
return -1)",
                                                      keys, args);
    if (deleted.type == redis::Reply::Type::integer && deleted.integer >= 0) ++removed;
  }
  if (removed > 0) {
    probe_.consumers_removed(removed);
    log::info("removed idle consumers with nothing pending", {{"consumers", removed}});
  }
}

}  // namespace marina::relay_ingest
