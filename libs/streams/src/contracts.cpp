#include "marina/streams/contracts.hpp"

#include <charconv>

namespace marina::streams {

namespace {

std::string_view required(const Fields& f, std::string_view name) {
  auto v = field(f, name);
  if (!v) throw ContractError("missing field '" + std::string(name) + "'");
  return *v;
}

template <typename Int>
Int required_int(const Fields& f, std::string_view name) {
  auto text = required(f, name);
  Int v{};
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size()) {
    throw ContractError("field '" + std::string(name) + "' is not an integer");
  }
  return v;
}

void check_version(const Fields& f, int expected) {
  int v = required_int<int>(f, "v");
  if (v != expected) throw ContractError("unknown schema version " + std::to_string(v));
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) {
    if (!out.empty()) out += ',';
    out += i;
  }
  return out;
}

std::vector<std::string> split(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    auto comma = text.find(',');
    out.emplace_back(text.substr(0, comma));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace

std::optional<std::string_view> field(const Fields& fields, std::string_view name) {
  for (const auto& [k, v] : fields) {
    if (k == name) return std::string_view(v);
  }
  return std::nullopt;
}

Fields IngestRequest::encode() const {
  Fields f{{"v", std::to_string(kVersion)},
           {"relay", relay_id},
           {"origin", origin},
           {"conn", std::to_string(connection)},
           {"recv_ms", std::to_string(received_ms)},
           {"ip", client_ip},
           {"authed", join(auth_pubkeys)},
           {"event", event_json}};
  if (imported) f.emplace_back("import", "1");
  if (id_checked) f.emplace_back("idok", "1");
  return f;
}

IngestRequest IngestRequest::decode(const Fields& f) {
  check_version(f, kVersion);
  IngestRequest r;
  r.relay_id = std::string(required(f, "relay"));
  r.origin = std::string(required(f, "origin"));
  r.connection = required_int<std::uint64_t>(f, "conn");
  r.received_ms = required_int<std::int64_t>(f, "recv_ms");
  r.client_ip = std::string(field(f, "ip").value_or(""));
  r.auth_pubkeys = split(field(f, "authed").value_or(""));
  r.event_json = std::string(required(f, "event"));
  const auto import = field(f, "import").value_or("0");
  if (import != "0" && import != "1") throw ContractError("field 'import' is not 0 or 1");
  r.imported = import == "1";
  const auto idok = field(f, "idok").value_or("0");
  if (idok != "0" && idok != "1") throw ContractError("field 'idok' is not 0 or 1");
  r.id_checked = idok == "1";
  return r;
}

Fields IngestReply::encode() const {
  return {{"v", std::to_string(kVersion)},
          {"conn", std::to_string(connection)},
          {"id", event_id},
          {"ok", accepted ? "1" : "0"},
          {"msg", message}};
}

IngestReply IngestReply::decode(const Fields& f) {
  check_version(f, kVersion);
  IngestReply r;
  r.connection = required_int<std::uint64_t>(f, "conn");
  r.event_id = std::string(required(f, "id"));
  auto ok = required(f, "ok");
  if (ok != "0" && ok != "1") throw ContractError("field 'ok' is not 0 or 1");
  r.accepted = ok == "1";
  r.message = std::string(field(f, "msg").value_or(""));
  return r;
}

Fields AcceptedEvent::encode() const {
  return {{"v", std::to_string(kVersion)}, {"relay", relay_id}, {"event", event_json}};
}

AcceptedEvent AcceptedEvent::decode(const Fields& f) {
  check_version(f, kVersion);
  return AcceptedEvent{std::string(required(f, "relay")), std::string(required(f, "event"))};
}

Fields AdminRequest::encode() const {
  return {{"v", std::to_string(kVersion)},
          {"relay", relay_id},
          {"recv_ms", std::to_string(received_ms)},
          {"event", event_json}};
}

AdminRequest AdminRequest::decode(const Fields& f) {
  check_version(f, kVersion);
  AdminRequest r;
  r.relay_id = std::string(required(f, "relay"));
  if (r.relay_id.empty()) throw ContractError("field 'relay' is empty");
  r.received_ms = required_int<std::int64_t>(f, "recv_ms");
  r.event_json = std::string(required(f, "event"));
  return r;
}

Fields PlatformFact::encode() const {
  return {{"v", std::to_string(kVersion)},
          {"type", type},
          {"relay", relay_id},
          {"tenant", tenant_pubkey},
          {"data", data}};
}

PlatformFact PlatformFact::decode(const Fields& f) {
  check_version(f, kVersion);
  PlatformFact p;
  p.type = std::string(required(f, "type"));
  p.relay_id = std::string(field(f, "relay").value_or(""));
  p.tenant_pubkey = std::string(field(f, "tenant").value_or(""));
  p.data = std::string(field(f, "data").value_or("{}"));
  return p;
}

}  // namespace marina::streams
