#include "decode.hpp"

#include "marina/nostr/event_parse.hpp"
#include "marina/nostr/event_sign.hpp"
#include "marina/nostr/relay_message.hpp"

namespace marina::relay_ingest {

namespace {

bool is_lower_hex(std::string_view s) {
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

void skip_space(std::string_view s, std::size_t& i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
}

}  // namespace

std::string event_id_hint(std::string_view json) {
  for (std::size_t at = json.find("\"id\""); at != std::string_view::npos; at = json.find("\"id\"", at + 1)) {
    std::size_t i = at + 4;
    skip_space(json, i);
    if (i >= json.size() || json[i] != ':') continue;
    ++i;
    skip_space(json, i);
    if (i + 66 > json.size() || json[i] != '"' || json[i + 65] != '"') continue;
    std::string_view hex = json.substr(i + 1, 64);
    if (is_lower_hex(hex)) return std::string(hex);
  }
  return {};
}

Item decode(Delivery delivery) {
  Item item;
  item.entry_id = std::move(delivery.entry_id);
  item.redelivered = delivery.redelivered;
  try {
    item.request = streams::IngestRequest::decode(delivery.fields);
  } catch (const streams::ContractError& e) {
    item.contract_error = e.what();
    return item;  // no request: acked and logged, never retried
  }

  // The id is recomputed unless the producer already did (relay-query and
  // the tenants importer parse every event before they hand it over).
  auto parsed = nostr::parse_event(item.request->event_json,
                                   nostr::EventParseOptions{.check_id = !item.request->id_checked});
  if (!parsed) {
    item.event_id = event_id_hint(item.request->event_json);
    item.refuse("malformed_event", nostr::prefixed(nostr::Prefix::invalid, parsed.error().message));
    return item;
  }
  item.event_id = parsed->id_hex();
  // The id is known good now; the signature is the expensive part (~50 us).
  if (!nostr::verify_signature(*parsed)) {
    item.refuse("bad_signature", nostr::prefixed(nostr::Prefix::invalid, "bad signature"));
    return item;
  }
  item.ephemeral = parsed->kind_class() == nostr::KindClass::ephemeral;
  item.event = std::move(*parsed);
  return item;
}

}  // namespace marina::relay_ingest
