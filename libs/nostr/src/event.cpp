#include "marina/nostr/event.hpp"

namespace marina::nostr {

KindClass kind_class(Kind k) noexcept {
  if (k == 0 || k == 3 || (k >= 10000 && k < 20000)) return KindClass::replaceable;
  if (k >= 20000 && k < 30000) return KindClass::ephemeral;
  if (k >= 30000 && k < 40000) return KindClass::addressable;
  return KindClass::regular;
}

std::string_view to_string(KindClass c) noexcept {
  switch (c) {
    case KindClass::regular: return "regular";
    case KindClass::replaceable: return "replaceable";
    case KindClass::ephemeral: return "ephemeral";
    case KindClass::addressable: return "addressable";
  }
  return "regular";
}

std::optional<std::string_view> Event::first_tag_value(std::string_view name) const noexcept {
  for (const Tag& t : tags) {
    if (!t.empty() && t[0] == name) return t.size() >= 2 ? std::string_view(t[1]) : std::string_view{};
  }
  return std::nullopt;
}

}  // namespace marina::nostr
