#include "marina/nostr/relay_message.hpp"

#include "marina/nostr/serialize.hpp"

namespace marina::nostr {

namespace {

// Length of the well-formed UTF-8 sequence at p (RFC 3629, Table 3-7 of
// the Unicode standard), or 0 if the bytes there are not one.
std::size_t utf8_sequence_length(const unsigned char* p, std::size_t left) noexcept {
  const unsigned char c = p[0];
  if (c < 0x80) return 1;
  auto cont = [&](std::size_t i, unsigned char lo = 0x80, unsigned char hi = 0xbf) {
    return i < left && p[i] >= lo && p[i] <= hi;
  };
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c == 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if ((c >= 0xe1 && c <= 0xec) || c == 0xee || c == 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (c == 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;  // no surrogates
  if (c == 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (c >= 0xf1 && c <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (c == 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

std::string sanitize_utf8(std::string_view s) {
  std::string clean;
  clean.reserve(s.size() + 8);
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t n = utf8_sequence_length(p + i, s.size() - i);
    if (n == 0) {
      clean.append("\xef\xbf\xbd");  // U+FFFD REPLACEMENT CHARACTER
      ++i;
    } else {
      clean.append(s.substr(i, n));
      i += n;
    }
  }
  return clean;
}

}  // namespace

void append_json_string_lossy(std::string& out, std::string_view text) {
  if (is_valid_utf8(text)) {
    append_json_string(out, text);
  } else {
    append_json_string(out, sanitize_utf8(text));
  }
}

std::string_view to_string(Prefix p) noexcept {
  switch (p) {
    case Prefix::duplicate: return "duplicate";
    case Prefix::pow: return "pow";
    case Prefix::blocked: return "blocked";
    case Prefix::rate_limited: return "rate-limited";
    case Prefix::invalid: return "invalid";
    case Prefix::restricted: return "restricted";
    case Prefix::auth_required: return "auth-required";
    case Prefix::error: return "error";
    case Prefix::mute: return "mute";
    case Prefix::unsupported: return "unsupported";
  }
  return "error";
}

std::string prefixed(Prefix p, std::string_view text) {
  std::string s(to_string(p));
  s.append(": ");
  s.append(text);
  return s;
}

std::string relay_event(std::string_view subscription_id, std::string_view raw_event) {
  std::string out;
  out.reserve(16 + subscription_id.size() + raw_event.size());
  out.append("[\"EVENT\",");
  append_json_string_lossy(out, subscription_id);
  out.push_back(',');
  out.append(raw_event);
  out.push_back(']');
  return out;
}

std::string relay_ok(const EventId& id, bool accepted, std::string_view message) {
  std::string out;
  out.reserve(90 + message.size());
  out.append("[\"OK\",\"");
  id.append_hex(out);
  out.append(accepted ? "\",true," : "\",false,");
  append_json_string_lossy(out, message);
  out.push_back(']');
  return out;
}

std::string relay_ok(const EventId& id, bool accepted, Prefix p, std::string_view text) {
  return relay_ok(id, accepted, prefixed(p, text));
}

std::string relay_eose(std::string_view subscription_id) {
  std::string out = "[\"EOSE\",";
  append_json_string_lossy(out, subscription_id);
  out.push_back(']');
  return out;
}

std::string relay_closed(std::string_view subscription_id, std::string_view message) {
  std::string out = "[\"CLOSED\",";
  append_json_string_lossy(out, subscription_id);
  out.push_back(',');
  append_json_string_lossy(out, message);
  out.push_back(']');
  return out;
}

std::string relay_closed(std::string_view subscription_id, Prefix p, std::string_view text) {
  return relay_closed(subscription_id, prefixed(p, text));
}

std::string relay_notice(std::string_view message) {
  std::string out = "[\"NOTICE\",";
  append_json_string_lossy(out, message);
  out.push_back(']');
  return out;
}

std::string relay_auth(std::string_view challenge) {
  std::string out = "[\"AUTH\",";
  append_json_string_lossy(out, challenge);
  out.push_back(']');
  return out;
}

std::string relay_count(std::string_view subscription_id, std::uint64_t count, std::optional<bool> approximate) {
  std::string out = "[\"COUNT\",";
  append_json_string_lossy(out, subscription_id);
  out.append(",{\"count\":");
  out.append(std::to_string(count));
  if (approximate) out.append(*approximate ? ",\"approximate\":true" : ",\"approximate\":false");
  out.append("}]");
  return out;
}

}  // namespace marina::nostr
