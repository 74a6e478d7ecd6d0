#pragma once
// Messages a client sends (NIP-01 EVENT/REQ/CLOSE, NIP-45 COUNT, NIP-42
// AUTH), parsed into typed structs with errors that say how to answer.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "marina/nostr/event.hpp"
#include "marina/nostr/event_parse.hpp"
#include "marina/nostr/filter.hpp"
#include "marina/nostr/parse_error.hpp"
#include "marina/nostr/result.hpp"

namespace marina::nostr {

struct EventMessage {  // ["EVENT", <event>]
  Event event;
};
struct ReqMessage {  // ["REQ", <sub>, <filter>...]
  std::string subscription_id;
  std::vector<Filter> filters;
};
struct CountMessage {  // ["COUNT", <sub>, <filter>...]
  std::string subscription_id;
  std::vector<Filter> filters;
};
struct CloseMessage {  // ["CLOSE", <sub>]
  std::string subscription_id;
};
struct AuthMessage {  // ["AUTH", <signed kind 22242 event>]
  Event event;
};

using ClientMessage = std::variant<EventMessage, ReqMessage, CountMessage, CloseMessage, AuthMessage>;

struct MessageLimits {
  FilterLimits filter;
  std::size_t max_filters = 10;  // per REQ or COUNT
  EventParseOptions event;
};

// NIP-01: a subscription id is a non-empty string of at most 64 chars
// (counted as Unicode code points).
inline constexpr std::size_t kMaxSubscriptionIdChars = 64;

enum class ClientMessageErrorCode {
  malformed,              // not JSON, not an array, no verb string
  unknown_verb,           // a verb this relay does not speak
  wrong_arity,            // wrong number of elements for the verb
  bad_subscription_id,    // not a string, empty, or longer than 64 chars
  bad_event,              // EVENT/AUTH whose event failed parse_event
  bad_filter,             // REQ/COUNT with a filter that failed parse_filter
  too_many_filters,       // more than MessageLimits::max_filters
};

struct ClientMessageError {
  ClientMessageErrorCode code;
  std::string message;                         // plain words, no prefix
  std::string verb;                            // "EVENT", "REQ", ... when it was read
  std::optional<EventId> event_id;             // EVENT/AUTH: the id, when the event had a well-formed one
  std::optional<std::string> subscription_id;  // REQ/COUNT/CLOSE: when the id itself was valid
  std::optional<ParseErrorCode> parse_code;    // bad_event / bad_filter: the underlying reason

  // The relay's answer, with the `invalid:` prefix (or `unsupported:` for an
  // unknown filter element): OK false for an EVENT/AUTH with a known id,
  // CLOSED for a REQ/COUNT with a valid subscription id, NOTICE otherwise.
  std::string reply() const;
};

// `json` is one WebSocket text message. Uses per-thread parsers.
Result<ClientMessage, ClientMessageError> parse_client_message(std::string_view json,
                                                               const MessageLimits& limits = {});

// Client-side builders (the CLI, tests, the relay's own DM sender).
// ["EVENT",<raw>] and ["AUTH",<raw>] insert the event's raw JSON verbatim.
std::string client_event(const Event& e);
std::string client_auth(const Event& e);
std::string client_req(std::string_view subscription_id, const std::vector<Filter>& filters);
std::string client_count(std::string_view subscription_id, const std::vector<Filter>& filters);
std::string client_close(std::string_view subscription_id);

}  // namespace marina::nostr
