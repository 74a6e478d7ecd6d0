#include "views.hpp"

#include "marina/nostr/bytes.hpp"
#include "marina/nostr/nip19.hpp"

namespace marina::tenants {

nlohmann::json tenant_json(const Tenant& t) {
  std::string npub;
  if (auto key = nostr::PublicKey::from_hex(t.pubkey)) npub = nostr::nip19::encode_npub(*key);
  return {{"pubkey", t.pubkey},         {"npub", npub},
          {"status", t.status},         {"status_reason", t.status_reason},
          {"created_at", t.created_at},
          {"relays_count", t.relays_count}};
}

nlohmann::json relay_json(const Relay& r, const relay::RelaySettings& settings) {
  return {{"id", r.id},
          {"tenant_pubkey", r.tenant_pubkey},
          {"subdomain", r.subdomain},
          {"url", settings.relay_url(r.subdomain)},
          {"name", r.name},
          {"description", r.description},
          {"plan", r.plan},
          {"status", r.status},
          {"status_reason", r.status_reason},
          {"relay_pubkey", r.relay_pubkey},
          {"created_at", r.created_at},
          {"updated_at", r.updated_at}};
}

nlohmann::json activity_json(const Activity& a) {
  return {{"id", a.id},
          {"relay_id", a.relay_id},
          {"tenant_pubkey", a.tenant_pubkey},
          {"actor_pubkey", a.actor_pubkey},
          {"actor_role", a.actor_role},
          {"action", a.action},
          {"plan", a.plan},
          {"status", a.status},
          {"details", nlohmann::json::parse(a.details_json, nullptr, false)},
          {"door", a.door},
          {"result", a.result},
          {"created_at", a.created_at}};
}

nlohmann::json page_json(nlohmann::json items, std::optional<std::string> next_cursor) {
  nlohmann::json out = {{"items", std::move(items)}};
  out["next_cursor"] = next_cursor ? nlohmann::json(*next_cursor) : nlohmann::json(nullptr);
  return out;
}

}  // namespace marina::tenants
