// Client message parsing: no crash; every error has a reply that is valid
// JSON; accepted messages rebuild to equivalent messages.
#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.hpp"
#include "marina/nostr/client_message.hpp"

using namespace marina::nostr;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  MessageLimits limits;
  limits.max_filters = 4;
  limits.event.check_id = false;  // let mutated events reach the deeper paths
  auto r = parse_client_message(text, limits);
  if (!r.ok()) {
    FUZZ_CHECK(nlohmann::json::accept(r.error().reply()));
    return 0;
  }
  if (auto* ev = std::get_if<EventMessage>(&*r)) {
    auto again = parse_client_message(client_event(ev->event), limits);
    FUZZ_CHECK(again.ok() && std::get<EventMessage>(*again).event.raw == ev->event.raw);
  } else if (auto* req = std::get_if<ReqMessage>(&*r)) {
    FUZZ_CHECK(!req->filters.empty() && req->filters.size() <= 4);
    auto again = parse_client_message(client_req(req->subscription_id, req->filters), limits);
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(std::get<ReqMessage>(*again).filters == req->filters);
    FUZZ_CHECK(std::get<ReqMessage>(*again).subscription_id == req->subscription_id);
  } else if (auto* close = std::get_if<CloseMessage>(&*r)) {
    FUZZ_CHECK(!close->subscription_id.empty());
    auto again = parse_client_message(client_close(close->subscription_id), limits);
    FUZZ_CHECK(again.ok() && std::get<CloseMessage>(*again).subscription_id == close->subscription_id);
  }
  return 0;
}
