#include "importer.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <map>

#include "marina/http/error.hpp"
#include "marina/nostr/event_parse.hpp"
#include "marina/nostr/hex.hpp"
#include "marina/nostr/random.hpp"
#include "marina/redis/client.hpp"
#include "marina/redis/pipeline.hpp"
#include "marina/core/clock.hpp"
#include "marina/streams/contracts.hpp"

namespace marina::tenants {
namespace {

constexpr std::size_t kImportChunk = 500;

struct Line {
  std::int64_t number;
  std::string_view text;
};

}  // namespace

boost::asio::awaitable<ImportResult> import_events(redis::Client& redis, const ImportRequest& request) {
  ImportResult result;
  std::vector<Line> to_send;
  std::int64_t number = 0;
  std::size_t pos = 0;
  while (pos < request.ndjson.size()) {
    std::size_t end = request.ndjson.find('\n', pos);
    if (end == std::string_view::npos) end = request.ndjson.size();
    std::string_view text = request.ndjson.substr(pos, end - pos);
    pos = end + 1;
    ++number;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (text.find_first_not_of(" \t") == std::string_view::npos) continue;  // blank lines are not events
    if (to_send.size() + result.invalid >= request.max_events)
      throw http::Error(413, "import-too-large", "Import too large",
                        "At most " + std::to_string(request.max_events) + " events per request; send the rest in another.");
    auto parsed = nostr::parse_event(text);
    if (!parsed) {
      ++result.invalid;
      result.problems.push_back({number, "invalid: " + parsed.error().message});
      continue;
    }
    to_send.push_back({number, text});
  }

  const std::string origin = "tenants-import-" + nostr::random_bytes32().hex().substr(0, 32);
  const std::string replies = streams::replies_stream(origin);
  // Handed to relay-ingest kImportChunk entries per round trip.
  for (std::size_t first = 0; first < to_send.size(); first += kImportChunk) {
    std::vector<redis::Command> adds;
    for (std::size_t i = first; i < std::min(to_send.size(), first + kImportChunk); ++i) {
      streams::IngestRequest ingest;
      ingest.relay_id = request.relay_id;
      ingest.origin = origin;
      ingest.connection = static_cast<std::uint64_t>(to_send[i].number);
      ingest.event_json = std::string(to_send[i].text);
      ingest.received_ms = core::unix_ms();
      ingest.client_ip = request.client_ip;
      ingest.auth_pubkeys = {request.owner_pubkey};
      ingest.id_checked = true;  // parse_event above recomputed the id
      ingest.imported = true;  // the owner's archive: no client rate limits, any age
      adds.push_back(redis::xadd_command(streams::kIngestStream, ingest.encode()));
    }
    for (const redis::Reply& r : co_await redis::pipeline(redis, std::move(adds))) r.throw_if_error();
  }

  // Outcomes arrive in any order; poll the reply stream (non-blocking reads on
  // the shared connection, so other requests are never held up).
  std::map<std::int64_t, streams::IngestReply> outcomes;
  std::string last_id = "0";
  const auto deadline = std::chrono::steady_clock::now() + request.timeout;
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
  while (outcomes.size() < to_send.size() && std::chrono::steady_clock::now() < deadline) {
    redis::ReadOptions options;
    options.count = 1000;
    std::vector<redis::StreamOffset> offsets{{replies, last_id}};
    auto batches = co_await redis.xread(offsets, options);
    bool got = false;
    for (const auto& batch : batches) {
      for (const auto& entry : batch.entries) {
        last_id = entry.id;
        got = true;
        try {
          auto reply = streams::IngestReply::decode(entry.fields);
          outcomes[static_cast<std::int64_t>(reply.connection)] = std::move(reply);
        } catch (const streams::ContractError&) {
          // Not ours to understand; the line stays without outcome.
        }
      }
    }
    if (!got) {
      timer.expires_after(std::chrono::milliseconds(20));
      co_await timer.async_wait(boost::asio::use_awaitable);
    }
  }
  std::vector<std::string> del{"DEL", replies};
  co_await redis.command(del);

  for (const auto& line : to_send) {
    auto it = outcomes.find(line.number);
    if (it == outcomes.end()) {
      ++result.invalid;
      result.problems.push_back({line.number, "error: no outcome from the write path in time"});
    } else if (it->second.accepted && it->second.message.rfind("duplicate:", 0) == 0) {
      ++result.duplicates;
    } else if (it->second.accepted) {
      ++result.imported;
    } else {
      ++result.invalid;
      result.problems.push_back({line.number, it->second.message});
    }
  }
  std::sort(result.problems.begin(), result.problems.end(),
            [](const ImportProblem& a, const ImportProblem& b) { return a.line < b.line; });
  co_return result;
}

}  // namespace marina::tenants
