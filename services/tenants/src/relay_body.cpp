#include "relay_body.hpp"

#include <set>

#include "marina/http/error.hpp"
#include "marina/http/json.hpp"
#include "subdomain.hpp"

namespace marina::tenants {
namespace {

http::Error invalid_field(const std::string& detail) {
  return http::Error(400, "invalid-field", "Invalid field", detail);
}

nlohmann::json object_body(const http::Request& req, const std::set<std::string>& allowed) {
  nlohmann::json body = http::parse_json(req);
  if (!body.is_object()) throw invalid_field("The body must be a JSON object.");
  for (const auto& [key, _] : body.items()) {
    if (!allowed.contains(key)) throw invalid_field("Unknown field '" + key + "'.");
  }
  return body;
}

// A string field of at most `max` bytes; nullopt when absent.
std::optional<std::string> text_field(const nlohmann::json& body, const std::string& name, std::size_t max) {
  if (!body.contains(name)) return std::nullopt;
  const auto& v = body[name];
  if (!v.is_string()) throw invalid_field("'" + name + "' must be a string.");
  auto s = v.get<std::string>();
  if (s.size() > max) throw invalid_field("'" + name + "' has more than " + std::to_string(max) + " bytes.");
  return s;
}

}  // namespace

CreateRelay read_create_relay(const http::Request& req, const Settings& settings) {
  const auto body = object_body(req, {"subdomain", "name", "description", "plan"});
  if (!body.contains("subdomain")) throw http::Error(400, "subdomain-invalid", "Invalid subdomain", "subdomain is required.");
  if (!body["subdomain"].is_string()) throw http::Error(400, "subdomain-invalid", "Invalid subdomain", "subdomain must be a string.");
  CreateRelay c;
  c.subdomain = normalize_subdomain(body["subdomain"].get<std::string>(), settings.reserved_subdomains);
  c.name = text_field(body, "name", 200).value_or("");
  c.description = text_field(body, "description", 2000).value_or("");
  c.plan = text_field(body, "plan", 64);
  return c;
}

repo::RelayChanges read_relay_changes(const http::Request& req, bool admin) {
  std::set<std::string> allowed = {"name", "description", "plan"};
  if (admin) allowed.insert({"status", "reason"});
  const auto body = object_body(req, allowed);
  repo::RelayChanges c;
  c.name = text_field(body, "name", 200);
  c.description = text_field(body, "description", 2000);
  c.plan = text_field(body, "plan", 64);
  c.status = text_field(body, "status", 16);
  if (c.status && *c.status != "active" && *c.status != "inactive" && *c.status != "suspended")
    throw http::Error(400, "invalid-status", "Invalid status", "status is active, inactive or suspended.");
  c.status_reason = text_field(body, "reason", 500);
  if (c.status_reason && !c.status) throw invalid_field("'reason' goes with 'status'.");
  return c;
}

TenantStatus read_tenant_status(const http::Request& req) {
  const auto body = object_body(req, {"status", "reason"});
  auto status = text_field(body, "status", 16);
  if (!status || (*status != "active" && *status != "suspended"))
    throw http::Error(400, "invalid-status", "Invalid status", "status is active or suspended.");
  auto reason = text_field(body, "reason", 500);
  if (reason && *status != "suspended") throw invalid_field("'reason' goes with status 'suspended'.");
  return TenantStatus{*status, reason.value_or("")};
}

}  // namespace marina::tenants
