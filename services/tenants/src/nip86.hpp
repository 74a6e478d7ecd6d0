#pragma once
// The NIP-86 relay management methods, on the same configuration and rule
// store as the hosting API's routes and the admin commands (Policy), so the
// three doors always agree:
//   banpubkey / unbanpubkey / listbannedpubkeys      blacklist pubkey rules
//   allowpubkey / unallowpubkey / listallowedpubkeys whitelist pubkey rules
//   allowkind / disallowkind / listallowedkinds      whitelist kind rules
//   blockip / unblockip / listblockedips             blacklist ip rules
//   changerelayname / changerelaydescription / changerelayicon
//                                                    relay_name / relay_description / relay_icon
//   banevent / allowevent / listbannedevents         EventStore::ban (deleted, tombstoned:
//                                                    refused if published again) + relay_banned_events
//   supportedmethods
// Adding what is there already, or removing what is not, answers true (the
// end state is what was asked). Every change lands in the audit log
// (relay_activity, door nip86) with its result; a refused change too.
#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model.hpp"
#include "policy.hpp"

namespace marina::pg {
class Pool;
}
namespace marina::store {
class EventStore;
}

namespace marina::tenants {

class Nip86 {
 public:
  Nip86(pg::Pool& db, Policy& policy, store::EventStore& events);

  static const std::vector<std::string>& methods();

  // `request` is the body, {"method": "...", "params": [...]}. Answers
  // {"result": ...} or {"result": null, "error": "..."}; never throws for
  // a method's own failure (a database outage does).
  boost::asio::awaitable<nlohmann::json> call(const Actor& actor, const Relay& relay, const nlohmann::json& request);

 private:
  boost::asio::awaitable<nlohmann::json> dispatch(const Actor& actor, const Relay& relay, const std::string& method,
                                                  const nlohmann::json& params);
  boost::asio::awaitable<nlohmann::json> add_rule(const Actor& actor, const Relay& relay, NewRule rule);
  boost::asio::awaitable<nlohmann::json> remove_rule(const Actor& actor, const Relay& relay, const NewRule& rule);
  boost::asio::awaitable<std::vector<repo::Rule>> rules_of(const Relay& relay, const char* rule_type,
                                                           const char* pattern_type);
  boost::asio::awaitable<nlohmann::json> ban_event(const Actor& actor, const Relay& relay, const std::string& id,
                                                   const std::string& reason);
  boost::asio::awaitable<nlohmann::json> allow_event(const Actor& actor, const Relay& relay, const std::string& id);
  boost::asio::awaitable<void> record_refusal(const Actor& actor, const Relay& relay, const std::string& method,
                                              const nlohmann::json& params, const std::string& error);

  pg::Pool& db_;
  Policy& policy_;
  store::EventStore& events_;
};

}  // namespace marina::tenants
