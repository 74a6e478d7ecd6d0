#include "marina/relay/event_limits.hpp"

namespace marina::relay {

std::optional<std::string> created_at_refusal(std::int64_t created_at, std::int64_t now, const RelayLimits& limits,
                                              bool check_lower_bound) {
  if (check_lower_bound && created_at < now - limits.created_at_lower_seconds)
    return "invalid: created_at is more than " + std::to_string(limits.created_at_lower_seconds) +
           " seconds in the past";
  if (created_at > now + limits.created_at_upper_seconds)
    return "invalid: created_at is more than " + std::to_string(limits.created_at_upper_seconds) +
           " seconds in the future";
  return std::nullopt;
}

std::optional<std::string> tag_count_refusal(std::size_t tags, std::size_t max) {
  if (tags <= max) return std::nullopt;
  return "invalid: too many tags (" + std::to_string(tags) + ", at most " + std::to_string(max) + ")";
}

std::optional<std::string> content_length_refusal(std::size_t bytes, std::size_t max) {
  if (bytes <= max) return std::nullopt;
  return "invalid: content too long (" + std::to_string(bytes) + " bytes, at most " + std::to_string(max) + ")";
}

}  // namespace marina::relay
