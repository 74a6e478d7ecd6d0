#include "marina/nostr/event_sign.hpp"

#include <stdexcept>

#include "marina/nostr/schnorr.hpp"
#include "marina/nostr/serialize.hpp"

namespace marina::nostr {

void check_template(const EventTemplate& t) {
  if (t.created_at < 0 || t.created_at > kMaxCreatedAt)
    throw std::invalid_argument("event template: created_at out of range");
  if (!is_valid_utf8(t.content)) throw std::invalid_argument("event template: content is not valid UTF-8");
  for (const Tag& tag : t.tags) {
    if (tag.empty()) throw std::invalid_argument("event template: empty tag");
    for (const std::string& s : tag)
      if (!is_valid_utf8(s)) throw std::invalid_argument("event template: tag is not valid UTF-8");
  }
}

Event sign(const EventTemplate& tmpl, const SecretKey& secret) {
  check_template(tmpl);
  Event e;
  e.pubkey = public_key(secret);
  e.created_at = tmpl.created_at;
  e.kind = tmpl.kind;
  e.tags = tmpl.tags;
  e.content = tmpl.content;
  e.id = compute_event_id(e);
  e.sig = schnorr_sign(e.id.span(), secret);
  e.raw = event_to_json(e);
  return e;
}

bool has_valid_id(const Event& e) { return compute_event_id(e) == e.id; }

bool verify_signature(const Event& e) { return schnorr_verify(e.sig, e.id.span(), e.pubkey); }

}  // namespace marina::nostr
