#include "marina/nostr/nip40.hpp"

#include <charconv>

namespace marina::nostr::nip40 {

std::optional<std::int64_t> expiration(const Event& e) noexcept {
  const auto value = e.first_tag_value("expiration");
  if (!value || value->empty()) return std::nullopt;
  // Decimal digits only: from_chars would also take a leading '-'.
  if ((*value)[0] < '0' || (*value)[0] > '9') return std::nullopt;
  std::int64_t t = 0;
  auto [ptr, ec] = std::from_chars(value->data(), value->data() + value->size(), t);
  if (ec != std::errc() || ptr != value->data() + value->size() || t > kMaxCreatedAt) return std::nullopt;
  return t;
}

bool is_expired(const Event& e, std::int64_t now) noexcept {
  const auto t = expiration(e);
  return t && *t <= now;
}

}  // namespace marina::nostr::nip40
