#include "stored_fields.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <stdexcept>

#include "marina/nostr/hex.hpp"

namespace marina::store::detail {

namespace {

constexpr std::size_t kMaxKeyBytes = 200;  // keep in step with event_tag_key()

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

}  // namespace

std::optional<std::string> searchable_content(const nostr::Event& e) {
  switch (e.kind) {
    case 4:     // NIP-04 encrypted direct message
    case 13:    // NIP-59 seal
    case 1059:  // NIP-59 gift wrap
      return std::nullopt;
    default: break;
  }
  std::string content = e.content;
  std::erase(content, '\0');
  return content;
}

bool is_indexed_tag(const nostr::Tag& tag) {
  return tag.size() >= 2 && tag[0].size() == 1 && is_letter(tag[0][0]) && tag[1].find('\0') == std::string::npos;
}

std::string tag_key(std::string_view value) {
  if (value.size() <= kMaxKeyBytes) return std::string(value);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(value.data(), value.size(), digest, &size, EVP_md5(), nullptr) != 1)
    throw std::runtime_error("store: md5 failed");
  return nostr::hex_encode(std::span<const std::uint8_t>(digest, size));
}

}  // namespace marina::store::detail
