#include "marina/nostr/nip59.hpp"

#include <stdexcept>

#include "marina/nostr/event_parse.hpp"
#include "marina/nostr/event_sign.hpp"
#include "marina/nostr/nip44.hpp"
#include "marina/nostr/random.hpp"
#include "marina/nostr/serialize.hpp"

namespace marina::nostr::nip59 {

namespace {

std::string rumor_json(const Rumor& r) {
  std::string out = "{\"id\":\"";
  r.id.append_hex(out);
  out.append("\",\"pubkey\":\"");
  r.pubkey.append_hex(out);
  out.append("\",\"created_at\":");
  out.append(std::to_string(r.created_at));
  out.append(",\"kind\":");
  out.append(std::to_string(r.kind));
  out.append(",\"tags\":");
  append_tags_json(out, r.tags);
  out.append(",\"content\":");
  append_json_string(out, r.content);
  out.push_back('}');
  return out;
}

// now minus 0..2 days, never negative.
std::int64_t tweaked_past(std::int64_t now) {
  const auto offset = static_cast<std::int64_t>(random_below(static_cast<std::uint64_t>(kMaxTimestampTweak) + 1));
  return std::max<std::int64_t>(0, now - offset);
}

// Encrypts `plaintext` from `secret` to `recipient`; misuse (a recipient
// that is not a curve point, a message too large for NIP-44) throws.
std::string encrypt_to(std::string_view plaintext, const SecretKey& secret, const PublicKey& recipient) {
  auto key = nip44::conversation_key(secret, recipient);
  if (!key) throw std::invalid_argument("nip59: " + std::string(nip44::to_string(key.error())));
  auto payload = nip44::encrypt(plaintext, *key);
  if (!payload) throw std::invalid_argument("nip59: " + std::string(nip44::to_string(payload.error())));
  return std::move(payload).value();
}

Err<Error> fail(ErrorCode code, std::string message) { return err(Error{code, std::move(message)}); }

Result<std::string, Error> decrypt_from(const Event& outer, const SecretKey& recipient) {
  auto key = nip44::conversation_key(recipient, outer.pubkey);
  if (!key) return fail(ErrorCode::decrypt_failed, std::string(nip44::to_string(key.error())));
  auto plaintext = nip44::decrypt(outer.content, *key);
  if (!plaintext) return fail(ErrorCode::decrypt_failed, std::string(nip44::to_string(plaintext.error())));
  return std::move(plaintext).value();
}

bool authentic(const Event& e) { return has_valid_id(e) && verify_signature(e); }

}  // namespace

Rumor create_rumor(const EventTemplate& tmpl, const PublicKey& author) {
  check_template(tmpl);
  Rumor r;
  r.pubkey = author;
  r.created_at = tmpl.created_at;
  r.kind = tmpl.kind;
  r.tags = tmpl.tags;
  r.content = tmpl.content;
  r.id = compute_event_id(r);
  r.raw = rumor_json(r);
  return r;
}

Event seal(const Rumor& rumor, const SecretKey& sender, const PublicKey& recipient, std::int64_t now) {
  if (public_key(sender) != rumor.pubkey)
    throw std::invalid_argument("nip59: the sender must be the rumor's author");
  EventTemplate t;
  t.created_at = tweaked_past(now);
  t.kind = kSealKind;
  t.content = encrypt_to(rumor_json(rumor), sender, recipient);
  return sign(t, sender);
}

Event gift_wrap(const Event& seal, const PublicKey& recipient, std::int64_t now, Kind kind) {
  if (kind != kGiftWrapKind && kind != kEphemeralGiftWrapKind)
    throw std::invalid_argument("nip59: a gift wrap is kind 1059 or 21059");
  const SecretKey one_time = SecretKey::generate();
  EventTemplate t;
  t.created_at = tweaked_past(now);
  t.kind = kind;
  t.tags = {{"p", recipient.hex()}};
  t.content = encrypt_to(seal.raw.empty() ? event_to_json(seal) : seal.raw, one_time, recipient);
  return sign(t, one_time);
}

Event wrap_for(const Rumor& rumor, const SecretKey& sender, const PublicKey& recipient, std::int64_t now) {
  return gift_wrap(seal(rumor, sender, recipient, now), recipient, now);
}

Result<Event, Error> unwrap(const Event& wrap, const SecretKey& recipient) {
  if (wrap.kind != kGiftWrapKind && wrap.kind != kEphemeralGiftWrapKind)
    return fail(ErrorCode::wrong_kind, "not a gift wrap (kind 1059 or 21059)");
  if (!authentic(wrap)) return fail(ErrorCode::bad_signature, "gift wrap: invalid id or signature");
  auto json = decrypt_from(wrap, recipient);
  if (!json) return err(std::move(json).error());
  auto inner = parse_event(*json);
  if (!inner) return fail(ErrorCode::bad_inner_event, "seal: " + inner.error().message);
  if (inner->kind != kSealKind) return fail(ErrorCode::wrong_kind, "the wrapped event is not a seal (kind 13)");
  if (!verify_signature(*inner)) return fail(ErrorCode::bad_signature, "seal: invalid signature");
  return std::move(inner).value();
}

Result<Rumor, Error> unseal(const Event& seal, const SecretKey& recipient) {
  if (seal.kind != kSealKind) return fail(ErrorCode::wrong_kind, "not a seal (kind 13)");
  if (!authentic(seal)) return fail(ErrorCode::bad_signature, "seal: invalid id or signature");
  if (!seal.tags.empty()) return fail(ErrorCode::seal_has_tags, "seal: tags must be empty");
  auto json = decrypt_from(seal, recipient);
  if (!json) return err(std::move(json).error());
  auto rumor = parse_rumor(*json);
  if (!rumor) return fail(ErrorCode::bad_inner_event, "rumor: " + rumor.error().message);
  // NIP-17: without this check anyone could seal a rumor "from" anyone.
  if (rumor->pubkey != seal.pubkey)
    return fail(ErrorCode::author_mismatch, "rumor: pubkey differs from the seal's signer");
  return std::move(rumor).value();
}

Result<Opened, Error> open(const Event& wrap, const SecretKey& recipient) {
  auto seal = unwrap(wrap, recipient);
  if (!seal) return err(std::move(seal).error());
  auto rumor = unseal(*seal, recipient);
  if (!rumor) return err(std::move(rumor).error());
  return Opened{std::move(seal).value(), std::move(rumor).value()};
}

}  // namespace marina::nostr::nip59
