// Stream commands and the parsing of their replies.
#include "marina/redis/streams.hpp"

#include <charconv>

#include "marina/redis/client.hpp"
#include "marina/redis/errors.hpp"

namespace marina::redis {

const std::string* StreamEntry::field(std::string_view name) const {
  for (const auto& [k, v] : fields)
    if (k == name) return &v;
  return nullptr;
}

namespace {

StreamEntry parse_entry(const Reply& reply) {
  const auto& parts = reply.as_array();
  if (parts.size() != 2) throw ProtocolError("stream entry: expected [id, fields], got " + reply.describe());
  StreamEntry entry;
  entry.id = parts[0].as_string();
  if (parts[1].is_nil()) return entry;  // deleted after it was delivered
  const auto& flat = parts[1].as_array();
  if (flat.size() % 2 != 0) throw ProtocolError("stream entry " + entry.id + ": odd number of field items");
  entry.fields.reserve(flat.size() / 2);
  for (std::size_t i = 0; i < flat.size(); i += 2) entry.fields.emplace_back(flat[i].as_string(), flat[i + 1].as_string());
  return entry;
}

struct IdParts {
  std::uint64_t ms = 0;
  std::uint64_t seq = 0;
};

IdParts parts(std::string_view id) noexcept {
  IdParts p;
  const auto dash = id.find('-');
  const std::string_view ms = id.substr(0, dash);
  std::from_chars(ms.data(), ms.data() + ms.size(), p.ms);
  if (dash != std::string_view::npos) {
    const std::string_view seq = id.substr(dash + 1);
    std::from_chars(seq.data(), seq.data() + seq.size(), p.seq);
  }
  return p;
}

void append_read_options(std::vector<std::string>& cmd, const ReadOptions& options) {
  if (options.count) {
    cmd.emplace_back("COUNT");
    cmd.push_back(std::to_string(*options.count));
  }
  if (options.block) {
    cmd.emplace_back("BLOCK");
    cmd.push_back(std::to_string(options.block->count()));
  }
}

void append_streams(std::vector<std::string>& cmd, const std::vector<StreamOffset>& streams) {
  cmd.emplace_back("STREAMS");
  for (const auto& s : streams) cmd.push_back(s.stream);
  for (const auto& s : streams) cmd.push_back(s.id);
}

}  // namespace

std::optional<std::int64_t> stream_id_ms(std::string_view id) noexcept {
  std::int64_t ms = 0;
  const auto dash = id.find('-');
  const std::string_view text = id.substr(0, dash);
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), ms);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return ms;
}

int compare_stream_ids(std::string_view a, std::string_view b) noexcept {
  const IdParts x = parts(a), y = parts(b);
  if (x.ms != y.ms) return x.ms < y.ms ? -1 : 1;
  if (x.seq != y.seq) return x.seq < y.seq ? -1 : 1;
  return 0;
}

std::vector<StreamEntry> parse_entries(const Reply& reply) {
  std::vector<StreamEntry> out;
  const auto& items = reply.as_array();
  out.reserve(items.size());
  for (const auto& item : items) out.push_back(parse_entry(item));
  return out;
}

std::vector<StreamBatch> parse_read(const Reply& reply) {
  std::vector<StreamBatch> out;
  if (reply.is_nil()) return out;  // BLOCK timed out
  for (const auto& item : reply.as_array()) {
    const auto& pair = item.as_array();
    if (pair.size() != 2) throw ProtocolError("read reply: expected [stream, entries], got " + item.describe());
    out.push_back(StreamBatch{pair[0].as_string(), parse_entries(pair[1])});
  }
  return out;
}

AutoClaimResult parse_autoclaim(const Reply& reply) {
  const auto& parts = reply.as_array();
  if (parts.size() < 2) throw ProtocolError("XAUTOCLAIM reply: expected [next, entries, deleted], got " + reply.describe());
  AutoClaimResult out;
  out.next_id = parts[0].as_string();
  for (const auto& item : parts[1].as_array()) {
    // Redis 6.2 answered deleted entries as [id, nil]; 7 lists them in the third element.
    auto entry = parse_entry(item);
    if (item.as_array()[1].is_nil()) {
      out.deleted_ids.push_back(std::move(entry.id));
    } else {
      out.entries.push_back(std::move(entry));
    }
  }
  if (parts.size() > 2)
    for (const auto& id : parts[2].as_array()) out.deleted_ids.push_back(id.as_string());
  return out;
}

std::vector<std::string> xadd_command(std::string_view stream, const Fields& fields, XAddOptions options) {
  std::vector<std::string> cmd{"XADD", std::string(stream)};
  cmd.reserve(6 + 2 * fields.size());
  if (options.maxlen) {
    cmd.emplace_back("MAXLEN");
    if (options.approximate) cmd.emplace_back("~");
    cmd.push_back(std::to_string(*options.maxlen));
  }
  cmd.emplace_back(options.id);
  for (const auto& [k, v] : fields) {
    cmd.push_back(k);
    cmd.push_back(v);
  }
  return cmd;
}

boost::asio::awaitable<std::string> Client::xadd(std::string_view stream, const Fields& fields, XAddOptions options) {
  co_return (co_await command(xadd_command(stream, fields, options))).as_string();
}

boost::asio::awaitable<std::vector<StreamBatch>> Client::xread(const std::vector<StreamOffset>& streams,
                                                               ReadOptions options) {
  std::vector<std::string> cmd{"XREAD"};
  append_read_options(cmd, options);
  append_streams(cmd, streams);
  co_return parse_read(co_await command(std::move(cmd)));
}

boost::asio::awaitable<std::vector<StreamBatch>> Client::xreadgroup(std::string_view group, std::string_view consumer,
                                                                    const std::vector<StreamOffset>& streams,
                                                                    ReadOptions options) {
  std::vector<std::string> cmd{"XREADGROUP", "GROUP", std::string(group), std::string(consumer)};
  append_read_options(cmd, options);
  append_streams(cmd, streams);
  co_return parse_read(co_await command(std::move(cmd)));
}

boost::asio::awaitable<std::int64_t> Client::xack(std::string_view stream, std::string_view group,
                                                  const std::vector<std::string>& ids) {
  std::vector<std::string> cmd{"XACK", std::string(stream), std::string(group)};
  cmd.insert(cmd.end(), ids.begin(), ids.end());
  co_return (co_await command(std::move(cmd))).as_integer();
}

boost::asio::awaitable<AutoClaimResult> Client::xautoclaim(std::string_view stream, std::string_view group,
                                                           std::string_view consumer, std::chrono::milliseconds min_idle,
                                                           std::string_view start, std::optional<std::size_t> count) {
  std::vector<std::string> cmd{"XAUTOCLAIM",          std::string(stream), std::string(group), std::string(consumer),
                               std::to_string(min_idle.count()), std::string(start)};
  if (count) {
    cmd.emplace_back("COUNT");
    cmd.push_back(std::to_string(*count));
  }
  co_return parse_autoclaim(co_await command(std::move(cmd)));
}

boost::asio::awaitable<bool> Client::xgroup_create(std::string_view stream, std::string_view group,
                                                   std::string_view start) {
  auto reply = co_await command("XGROUP", "CREATE", stream, group, start, "MKSTREAM");
  if (reply.is_error() && reply.str.starts_with("BUSYGROUP")) co_return false;
  reply.as_string();
  co_return true;
}

}  // namespace marina::redis
