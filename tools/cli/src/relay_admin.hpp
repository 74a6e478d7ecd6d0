#pragma once
// `marina relays admin <id|sub|ws-url> <command> [params...]`: one of seed
// 004's admin commands sent to a relay over Nostr, the way any Nostr client
// sends it — NIP-44 v2 encrypted to the relay's key, a kind 23456 event
// signed with the user's key, published on a WebSocket subscribed to
// {"kinds":[23457],"#p":[me]} — and the relay's kind 23457 answer decrypted
// and printed. A second client independent of the tests' nostr-tools one.
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "args.hpp"
#include "marina/nostr/keys.hpp"

namespace marina::cli {

struct RelayAdminContext {
  const Args& args;  // words()[0] "relays", [1] "admin", [2] the relay, [3] the command, then params
  bool as_json = false;
  nostr::SecretKey key;
  // One signed API call (to find one's own relay by id or subdomain).
  std::function<nlohmann::json(const std::string& method, const std::string& target)> call;
};

// The command array from the words: a word that starts with '[' or '{' is
// JSON, any other a string; config_update also takes KEY=VALUE words, sent
// as [{"key": KEY, "value": VALUE}, ...]. Throws UsageError.
nlohmann::json admin_command_array(const std::vector<std::string>& words);

// Exit status 0 for a success response, 1 for an error response or none.
int relay_admin_command(RelayAdminContext& ctx);

}  // namespace marina::cli
