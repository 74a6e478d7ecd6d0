#include "events.hpp"

#include <chrono>
#include <thread>

#include "marina/nostr/client_message.hpp"
#include "marina/nostr/event_sign.hpp"
#include "marina/nostr/sha256.hpp"

namespace marina::load {

std::vector<nostr::SecretKey> make_keys(std::size_t n, const std::string& seed) {
  std::vector<nostr::SecretKey> keys;
  keys.reserve(n);
  for (std::size_t i = 0; keys.size() < n; ++i) {
    // A hash is a valid scalar with overwhelming probability; skip the rare one that is not.
    const auto digest = nostr::sha256("marina-load:" + seed + ":" + std::to_string(i));
    if (auto key = nostr::SecretKey::from_bytes(digest.bytes)) keys.push_back(*key);
  }
  return keys;
}

std::vector<PreparedEvent> make_events(std::size_t count, const std::vector<nostr::SecretKey>& keys, std::size_t bytes,
                                       std::int64_t span_seconds) {
  const std::int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  // The JSON of an event without content, to know how much content makes `bytes`.
  nostr::EventTemplate probe;
  probe.kind = 1;
  probe.created_at = now;
  probe.tags = {{"t", "bench"}};
  const std::size_t overhead = nostr::sign(probe, keys.front()).raw.size();
  const std::size_t content_bytes = bytes > overhead + 16 ? bytes - overhead : 16;

  std::vector<PreparedEvent> events(count);
  const std::size_t threads = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::thread> workers;
  for (std::size_t t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (std::size_t i = t; i < count; i += threads) {
        nostr::EventTemplate tmpl = probe;
        const auto age = static_cast<std::int64_t>(count - i);
        tmpl.created_at = now - span_seconds * age / static_cast<std::int64_t>(count);
        // Unique per event (distinct ids), then padded: "bench 123 xxxx...".
        tmpl.content = "bench " + std::to_string(i) + " ";
        tmpl.content.resize(content_bytes, 'x');
        if (i % 100 == 99) tmpl.tags = {{"t", "x"}};
        const std::size_t author = i % keys.size();
        const nostr::Event e = nostr::sign(tmpl, keys[author]);
        events[i] = PreparedEvent{e.id_hex(), e.raw, nostr::client_event(e), author};
      }
    });
  }
  for (auto& w : workers) w.join();
  return events;
}

}  // namespace marina::load
