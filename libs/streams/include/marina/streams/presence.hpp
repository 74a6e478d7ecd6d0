#pragma once
// Who is connected to which relay, across relay-query replicas: each replica
// reports its own counts every RELAY_QUERY_PRESENCE_INTERVAL as one key,
//   marina:presence:<replica>  = PresenceReport::encode()   (PX: 3 intervals)
// and its name in the sorted set
//   marina:presence            member <replica>, score = report time (unix ms)
// so a reader (tenants' system_status) takes the replicas whose score is
// recent, reads their keys and sums one relay's counts. A replica that dies
// stops counting once its report is older than the reader's freshness bound.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace marina::streams {

inline constexpr std::string_view kPresenceIndex = "marina:presence";
inline std::string presence_key(std::string_view replica) { return std::string(kPresenceIndex) + ":" + std::string(replica); }

struct RelayPresenceCount {
  std::string relay_id;
  std::uint64_t connections = 0;
  std::uint64_t subscriptions = 0;
};

struct PresenceReport {
  static constexpr int kVersion = 1;
  std::vector<RelayPresenceCount> relays;  // relays with at least one connection

  // "v1\n" then "<relay_id> <connections> <subscriptions>\n" per relay.
  std::string encode() const;
  // Throws ContractError (contracts.hpp) for text that is not a report.
  static PresenceReport decode(std::string_view text);
};

}  // namespace marina::streams
