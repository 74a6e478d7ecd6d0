#include "marina/streams/presence.hpp"

#include <charconv>

#include "marina/streams/contracts.hpp"

namespace marina::streams {

namespace {

std::uint64_t number(std::string_view text) {
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || text.empty())
    throw ContractError("presence report: '" + std::string(text.substr(0, 40)) + "' is not a count");
  return v;
}

}  // namespace

std::string PresenceReport::encode() const {
  std::string out = "v" + std::to_string(kVersion) + "\n";
  for (const auto& r : relays) {
    out += r.relay_id;
    out += ' ';
    out += std::to_string(r.connections);
    out += ' ';
    out += std::to_string(r.subscriptions);
    out += '\n';
  }
  return out;
}

PresenceReport PresenceReport::decode(std::string_view text) {
  const std::string header = "v" + std::to_string(kVersion) + "\n";
  if (text.substr(0, header.size()) != header) throw ContractError("presence report: unknown version");
  text.remove_prefix(header.size());
  PresenceReport report;
  while (!text.empty()) {
    const auto end = text.find('\n');
    if (end == std::string_view::npos) throw ContractError("presence report: unterminated line");
    const std::string_view line = text.substr(0, end);
    text.remove_prefix(end + 1);
    const auto a = line.find(' ');
    const auto b = a == std::string_view::npos ? a : line.find(' ', a + 1);
    if (a == 0 || b == std::string_view::npos) throw ContractError("presence report: malformed line");
    report.relays.push_back(
        {std::string(line.substr(0, a)), number(line.substr(a + 1, b - a - 1)), number(line.substr(b + 1))});
  }
  return report;
}

}  // namespace marina::streams
