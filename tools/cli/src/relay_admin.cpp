#include "relay_admin.hpp"

#include <cctype>
#include <cstdlib>
#include <iostream>

#include "marina/core/clock.hpp"
#include "marina/nostr/event_parse.hpp"
#include "marina/nostr/event_sign.hpp"
#include "marina/nostr/nip44.hpp"
#include "marina/nostr/random.hpp"
#include "marina/nostr/serialize.hpp"
#include "relay_socket.hpp"

namespace marina::cli {

namespace {

using nlohmann::json;

constexpr nostr::Kind kCommandKind = 23456;
constexpr nostr::Kind kResponseKind = 23457;

struct Target {
  RelayUrl url;
  nostr::PublicKey relay_key;
};

bool looks_like_uuid(const std::string& s) {
  return s.size() == 36 && s[8] == '-' && s[13] == '-' && s[18] == '-' && s[23] == '-';
}

nostr::PublicKey key_of(const std::string& hex, const std::string& where) {
  auto key = nostr::PublicKey::from_hex(hex);
  if (!key) throw std::runtime_error(where + " gives no valid relay key");
  return *key;
}

// A ws:// URL: the key from its NIP-11 document (`self`), so any admin can
// reach any relay; else one of the caller's relays by id or subdomain.
Target find_target(RelayAdminContext& ctx, const std::string& ref) {
  if (ref.rfind("ws://", 0) == 0 || ref.rfind("wss://", 0) == 0) {
    Target t{parse_relay_url(ref), {}};
    const json doc = json::parse(fetch_relay_document(t.url), nullptr, false);
    if (!doc.is_object() || !doc.contains("self") || !doc["self"].is_string())
      throw std::runtime_error(ref + " has no relay key (`self`) in its NIP-11 document");
    t.relay_key = key_of(doc["self"].get<std::string>(), ref + "'s NIP-11 document");
    return t;
  }
  auto from_relay = [&](const json& r) {
    return Target{parse_relay_url(r.value("url", "")), key_of(r.value("relay_pubkey", ""), "the API")};
  };
  if (looks_like_uuid(ref)) return from_relay(ctx.call("GET", "/tenant/relays/" + ref));
  std::string sub = ref;
  for (auto& c : sub) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::optional<std::string> cursor;
  do {
    std::string target = "/tenant/relays?limit=200";
    if (cursor) target += "&cursor=" + *cursor;
    const json page = ctx.call("GET", target);
    for (const auto& r : page["items"])
      if (r.value("subdomain", "") == sub) return from_relay(r);
    cursor = page["next_cursor"].is_string() ? std::optional(page["next_cursor"].get<std::string>()) : std::nullopt;
  } while (cursor);
  throw std::runtime_error("you have no relay with id or subdomain '" + ref +
                           "' (an admin of someone else's relay gives its ws:// URL)");
}

bool answers(const nostr::Event& e, const std::string& request_id) {
  for (const auto& t : e.tags)
    if (t.size() >= 2 && t[0] == "e" && t[1] == request_id) return true;
  return false;
}

}  // namespace

json admin_command_array(const std::vector<std::string>& words) {
  if (words.empty()) throw UsageError("missing the admin command (config_query, config_update, blacklist, ...)");
  json command = json::array({words[0]});
  if (words[0] == "config_update" && words.size() > 1 && words[1].find('=') != std::string::npos &&
      words[1].front() != '[') {
    json changes = json::array();
    for (std::size_t i = 1; i < words.size(); ++i) {
      const auto eq = words[i].find('=');
      if (eq == std::string::npos || eq == 0) throw UsageError("'" + words[i] + "' is not KEY=VALUE");
      changes.push_back({{"key", words[i].substr(0, eq)}, {"value", words[i].substr(eq + 1)}});
    }
    command.push_back(std::move(changes));
    return command;
  }
  for (std::size_t i = 1; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (!w.empty() && (w.front() == '[' || w.front() == '{')) {
      json value = json::parse(w, nullptr, false);
      if (value.is_discarded()) throw UsageError("'" + w + "' is not JSON");
      command.push_back(std::move(value));
    } else {
      command.push_back(w);
    }
  }
  return command;
}

int relay_admin_command(RelayAdminContext& ctx) {
  const auto& words = ctx.args.words();
  if (words.size() < 3) throw UsageError("missing relay id, subdomain or ws:// URL");
  const json command = admin_command_array(std::vector<std::string>(words.begin() + 3, words.end()));
  long timeout_s = 15;
  if (auto v = ctx.args.option("timeout")) timeout_s = std::strtol(v->c_str(), nullptr, 10);
  if (timeout_s < 1 || timeout_s > 600) throw UsageError("--timeout is 1-600 seconds");

  const Target target = find_target(ctx, words[2]);
  const auto conversation = nostr::nip44::conversation_key(ctx.key, target.relay_key);
  if (!conversation) throw std::runtime_error("no NIP-44 conversation with the relay's key");
  auto content = nostr::nip44::encrypt(command.dump(), *conversation);
  if (!content) throw UsageError("the command is too long for NIP-44 (" +
                                 std::string(nostr::nip44::to_string(content.error())) + ")");
  const std::string me = nostr::public_key(ctx.key).hex();
  const std::int64_t now = core::unix_seconds();
  const nostr::Event request =
      nostr::sign({now, kCommandKind, {{"p", target.relay_key.hex()}}, std::move(*content)}, ctx.key);

  RelaySocket socket(target.url);
  const std::string sub = "admin-" + nostr::random_bytes32().hex().substr(0, 8);
  // Subscribed before publishing, so the answer cannot pass by unseen.
  socket.send(json::array({"REQ", sub, {{"kinds", {kResponseKind}}, {"#p", {me}}, {"since", now - 5}}}).dump());
  socket.send("[\"EVENT\"," + nostr::event_to_json(request) + "]");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  while (auto text = socket.read(deadline)) {
    const json message = json::parse(*text, nullptr, false);
    if (!message.is_array() || message.empty() || !message[0].is_string()) continue;
    const std::string verb = message[0].get<std::string>();
    if (verb == "OK" && message.size() >= 4 && message[1] == request.id_hex() && message[2] == false)
      throw std::runtime_error("the relay refused the command: " + message[3].get<std::string>());
    if (verb == "CLOSED" && message.size() >= 3 && message[1] == sub)
      throw std::runtime_error("the relay closed the subscription for answers: " + message[2].dump());
    if (verb != "EVENT" || message.size() < 3 || message[1] != sub) continue;
    auto answer = nostr::parse_event(message[2].dump());
    if (!answer || answer->kind != kResponseKind || answer->pubkey != target.relay_key ||
        !nostr::verify_signature(*answer) || !answers(*answer, request.id_hex()))
      continue;
    auto plaintext = nostr::nip44::decrypt(answer->content, *conversation);
    if (!plaintext) throw std::runtime_error("the relay's answer does not decrypt");
    const json response = json::parse(*plaintext, nullptr, false);
    if (response.is_discarded()) throw std::runtime_error("the relay's answer is not JSON");
    std::cout << response.dump(2) << '\n';
    if (response.value("status", "") == "error") {
      if (!ctx.as_json) std::cerr << "error: " << response.value("error", "unknown error") << '\n';
      return 1;
    }
    return 0;
  }
  throw std::runtime_error("no answer from the relay within " + std::to_string(timeout_s) + " s");
}

}  // namespace marina::cli
