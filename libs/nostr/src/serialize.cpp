#include "marina/nostr/serialize.hpp"

#include <simdjson.h>

#include <charconv>
#include <cstring>

#include "json_escape.hpp"
#include "marina/nostr/sha256.hpp"

namespace marina::nostr {

namespace {

// True when any of the 8 bytes in `w` must be escaped: < 0x20, '"' or '\\'.
// Word-at-a-time ("SWAR") tests for "some byte is below n" and "some byte
// is zero"; as a yes/no answer for the whole word they are exact, because a
// borrow can only cross into the next byte from a byte that matched.
inline bool needs_escape(std::uint64_t w) noexcept {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  const std::uint64_t control = (w - kOnes * 0x20) & ~w & kHigh;
  const std::uint64_t q = w ^ (kOnes * '"');
  const std::uint64_t quote = (q - kOnes) & ~q & kHigh;
  const std::uint64_t b = w ^ (kOnes * '\\');
  const std::uint64_t backslash = (b - kOnes) & ~b & kHigh;
  return (control | quote | backslash) != 0;
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  out.push_back('"');
  const char* p = s.data();
  const char* const end = p + s.size();
  const char* run = p;  // start of the bytes not yet copied
  while (p != end) {
    // Skip 8 bytes at a time while none needs escaping (the common case).
    if (end - p >= 8) {
      std::uint64_t w;
      std::memcpy(&w, p, 8);
      if (!needs_escape(w)) {
        p += 8;
        continue;
      }
    }
    const char esc = detail::kEscape[static_cast<unsigned char>(*p)];
    if (esc != 0) {
      out.append(run, p);
      out.push_back('\\');
      out.push_back(esc);
      if (esc == 'u') {
        constexpr char kHex[] = "0123456789abcdef";
        const auto c = static_cast<unsigned char>(*p);
        out.append("00");
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0x0f]);
      }
      run = p + 1;
    }
    ++p;
  }
  out.append(run, end);
  out.push_back('"');
}

namespace {

void append_integer(std::string& out, std::int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

}  // namespace

void append_tags_json(std::string& out, const Tags& tags) {
  out.push_back('[');
  for (std::size_t i = 0; i < tags.size(); ++i) {
    if (i) out.push_back(',');
    out.push_back('[');
    for (std::size_t j = 0; j < tags[i].size(); ++j) {
      if (j) out.push_back(',');
      append_json_string(out, tags[i][j]);
    }
    out.push_back(']');
  }
  out.push_back(']');
}

void append_canonical(std::string& out, const PublicKey& pubkey, std::int64_t created_at, Kind kind, const Tags& tags,
                      std::string_view content) {
  out.append("[0,\"");
  pubkey.append_hex(out);
  out.append("\",");
  append_integer(out, created_at);
  out.push_back(',');
  append_integer(out, kind);
  out.push_back(',');
  append_tags_json(out, tags);
  out.push_back(',');
  append_json_string(out, content);
  out.push_back(']');
}

std::string canonical_serialization(const PublicKey& pubkey, std::int64_t created_at, Kind kind, const Tags& tags,
                                    std::string_view content) {
  std::string out;
  append_canonical(out, pubkey, created_at, kind, tags, content);
  return out;
}

EventId compute_event_id(const PublicKey& pubkey, std::int64_t created_at, Kind kind, const Tags& tags,
                         std::string_view content) {
  // One buffer per thread: after warm-up, hashing an event allocates nothing.
  thread_local std::string buffer;
  buffer.clear();
  append_canonical(buffer, pubkey, created_at, kind, tags, content);
  const Bytes32 h = sha256(buffer);
  return EventId{h.bytes};
}

std::string event_to_json(const Event& e) {
  std::string out;
  out.reserve(300 + e.content.size());
  out.append("{\"id\":\"");
  e.id.append_hex(out);
  out.append("\",\"pubkey\":\"");
  e.pubkey.append_hex(out);
  out.append("\",\"created_at\":");
  append_integer(out, e.created_at);
  out.append(",\"kind\":");
  append_integer(out, e.kind);
  out.append(",\"tags\":");
  append_tags_json(out, e.tags);
  out.append(",\"content\":");
  append_json_string(out, e.content);
  out.append(",\"sig\":\"");
  e.sig.append_hex(out);
  out.append("\"}");
  return out;
}

bool is_valid_utf8(std::string_view s) noexcept { return simdjson::validate_utf8(s.data(), s.size()); }

}  // namespace marina::nostr
