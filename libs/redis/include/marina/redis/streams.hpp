#pragma once
// Redis stream values and the parsing of stream replies into them. The field
// list has the same type as marina::streams::Fields, so a contract's
// decode() takes an entry's fields directly.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "marina/redis/reply.hpp"

namespace marina::redis {

using Fields = std::vector<std::pair<std::string, std::string>>;

struct StreamEntry {
  std::string id;  // "1700000000000-0"
  Fields fields;   // in the order they were added; empty if the entry was deleted meanwhile
  // The first field called `name`, or nullptr.
  const std::string* field(std::string_view name) const;
};

// The entries a read returned for one stream.
struct StreamBatch {
  std::string stream;
  std::vector<StreamEntry> entries;
};

// Where to read from: an entry id, "$" (XREAD: only new entries) or ">"
// (XREADGROUP: entries never delivered to the group).
struct StreamOffset {
  std::string stream;
  std::string id;
};

struct XAddOptions {
  // MAXLEN: keep the stream at about this many entries.
  std::optional<std::size_t> maxlen;
  // "MAXLEN ~ n": trim only whole macro nodes, much cheaper; the stream may
  // briefly hold somewhat more than n entries.
  bool approximate = true;
  std::string_view id = "*";
};

// Options are passed, and defaulted, inside co_await expressions, where GCC 12
// destroys an aggregate temporary twice: they must stay trivially destructible.
static_assert(std::is_trivially_destructible_v<XAddOptions>);

struct ReadOptions {
  std::optional<std::size_t> count;
  // BLOCK milliseconds; nullopt = do not block. Blocking holds the connection
  // (see Client): use a Client of its own for blocking reads.
  std::optional<std::chrono::milliseconds> block;
};
static_assert(std::is_trivially_destructible_v<ReadOptions>);

// XAUTOCLAIM's reply (Redis 7): where to continue, what this consumer now
// owns, and pending ids whose entries no longer exist (removed from the PEL).
struct AutoClaimResult {
  std::string next_id;  // "0-0" once the whole PEL was scanned
  std::vector<StreamEntry> entries;
  std::vector<std::string> deleted_ids;
};

// "1700000000000-3" -> 1700000000000 (the entry's time in unix milliseconds).
std::optional<std::int64_t> stream_id_ms(std::string_view id) noexcept;
// Stream ids in time order: negative, zero or positive like strcmp. Malformed ids compare as 0-0.
int compare_stream_ids(std::string_view a, std::string_view b) noexcept;

// The XADD command for `fields` (what Client::xadd sends), for callers that
// batch several in one round trip (pipeline.hpp).
std::vector<std::string> xadd_command(std::string_view stream, const Fields& fields, XAddOptions options = {});

// [[id, [f, v, ...]], ...]
std::vector<StreamEntry> parse_entries(const Reply& reply);
// XREAD / XREADGROUP: nil (timeout) → empty; else [[stream, entries], ...].
std::vector<StreamBatch> parse_read(const Reply& reply);
// XAUTOCLAIM: [next-id, entries, deleted-ids].
AutoClaimResult parse_autoclaim(const Reply& reply);

}  // namespace marina::redis
