#include "marina/nostr/client_message.hpp"

#include "json_dom.hpp"
#include "marina/nostr/relay_message.hpp"
#include "marina/nostr/serialize.hpp"

namespace marina::nostr {

namespace {

using simdjson::dom::element;

ClientMessageError make_error(ClientMessageErrorCode code, std::string message, std::string_view verb = {}) {
  ClientMessageError e;
  e.code = code;
  e.message = std::move(message);
  e.verb.assign(verb);
  return e;
}

std::size_t count_code_points(std::string_view s) noexcept {
  std::size_t n = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xc0) != 0x80) ++n;
  return n;
}

// A subscription id, or the reason it is not one.
std::optional<std::string> read_subscription_id(element value, std::string& why) {
  std::string_view s;
  if (value.get_string().get(s)) {
    why = "subscription id: expected a string";
    return std::nullopt;
  }
  if (s.empty()) {
    why = "subscription id: must not be empty";
    return std::nullopt;
  }
  if (count_code_points(s) > kMaxSubscriptionIdChars) {
    why = "subscription id: longer than 64 characters";
    return std::nullopt;
  }
  return std::string(s);
}

// The event id of an object that failed to parse, if it has a well-formed
// one: the relay then answers OK false for that id instead of a NOTICE.
std::optional<EventId> salvage_event_id(element value) {
  std::string_view s;
  if (value["id"].get_string().get(s)) return std::nullopt;
  return EventId::from_hex(s);
}

// The text of the event object inside ["EVENT", {...}] / ["AUTH", {...}].
// Valid only once the DOM parse has shown the message is an array of exactly
// a verb string and an object: the verb ("EVENT"/"AUTH", possibly written
// with \u escapes) contains no raw '{', and only whitespace and ']' follow
// the object, so the object runs from the first '{' to the last '}'.
std::string_view event_span(std::string_view message) {
  const auto open = message.find('{');
  const auto close = message.rfind('}');
  return message.substr(open, close - open + 1);
}

Result<ClientMessage, ClientMessageError> parse_event_like(std::string_view json, simdjson::dom::array arr,
                                                           std::string_view verb, const MessageLimits& limits) {
  if (arr.size() != 2)
    return err(make_error(ClientMessageErrorCode::wrong_arity, std::string(verb) + ": expected [\"" +
                                                                   std::string(verb) + "\", <event>]",
                          verb));
  const element value = arr.at(1).value_unsafe();
  if (!value.is_object()) {
    auto e = make_error(ClientMessageErrorCode::bad_event, "event: expected a JSON object", verb);
    e.parse_code = ParseErrorCode::wrong_type;
    return err(std::move(e));
  }
  auto parsed =
      detail::parse_event_element(value, event_span(json), detail::EventShape::signed_event, limits.event);
  if (!parsed) {
    auto e = make_error(ClientMessageErrorCode::bad_event, std::move(parsed.error().message), verb);
    e.parse_code = parsed.error().code;
    e.event_id = salvage_event_id(value);
    return err(std::move(e));
  }
  if (verb == "EVENT") return ClientMessage{EventMessage{std::move(parsed).value()}};
  return ClientMessage{AuthMessage{std::move(parsed).value()}};
}

Result<ClientMessage, ClientMessageError> parse_req_like(simdjson::dom::array arr, std::string_view verb,
                                                         const MessageLimits& limits) {
  if (arr.size() < 2)
    return err(make_error(ClientMessageErrorCode::wrong_arity, std::string(verb) + ": missing subscription id", verb));
  std::string why;
  auto sub = read_subscription_id(arr.at(1).value_unsafe(), why);
  if (!sub) return err(make_error(ClientMessageErrorCode::bad_subscription_id, std::move(why), verb));

  auto with_sub = [&](ClientMessageErrorCode code, std::string message) {
    auto e = make_error(code, std::move(message), verb);
    e.subscription_id = *sub;
    return err(std::move(e));
  };
  const std::size_t count = arr.size() - 2;
  if (count == 0) return with_sub(ClientMessageErrorCode::wrong_arity, std::string(verb) + ": needs at least one filter");
  if (count > limits.max_filters)
    return with_sub(ClientMessageErrorCode::too_many_filters,
                    "more than " + std::to_string(limits.max_filters) + " filters");

  std::vector<Filter> filters;
  filters.reserve(count);
  std::size_t index = 0;
  for (element item : arr) {
    if (index++ < 2) continue;
    auto f = detail::parse_filter_element(item, limits.filter);
    if (!f) {
      auto e = with_sub(ClientMessageErrorCode::bad_filter, f.error().message);
      e.error.parse_code = f.error().code;
      return e;
    }
    filters.push_back(std::move(f).value());
  }
  if (verb == "REQ") return ClientMessage{ReqMessage{std::move(*sub), std::move(filters)}};
  return ClientMessage{CountMessage{std::move(*sub), std::move(filters)}};
}

Result<ClientMessage, ClientMessageError> parse_close(simdjson::dom::array arr) {
  if (arr.size() != 2)
    return err(make_error(ClientMessageErrorCode::wrong_arity, "CLOSE: expected [\"CLOSE\", <subscription id>]",
                          "CLOSE"));
  std::string why;
  auto sub = read_subscription_id(arr.at(1).value_unsafe(), why);
  if (!sub) return err(make_error(ClientMessageErrorCode::bad_subscription_id, std::move(why), "CLOSE"));
  return ClientMessage{CloseMessage{std::move(*sub)}};
}

}  // namespace

Result<ClientMessage, ClientMessageError> parse_client_message(std::string_view json, const MessageLimits& limits) {
  element root;
  if (auto error = detail::parse_dom(json, root))
    return err(make_error(ClientMessageErrorCode::malformed, detail::malformed_json_message(error)));
  simdjson::dom::array arr;
  if (root.get_array().get(arr) || arr.size() == 0)
    return err(make_error(ClientMessageErrorCode::malformed, "message: expected a JSON array starting with a verb"));
  std::string_view verb;
  if (arr.at(0).get_string().get(verb))
    return err(make_error(ClientMessageErrorCode::malformed, "message: the first element must be a string"));

  if (verb == "EVENT" || verb == "AUTH") return parse_event_like(json, arr, verb, limits);
  if (verb == "REQ" || verb == "COUNT") return parse_req_like(arr, verb, limits);
  if (verb == "CLOSE") return parse_close(arr);
  std::string shown(verb.substr(0, 32));
  return err(make_error(ClientMessageErrorCode::unknown_verb, "unknown message type \"" + shown + "\""));
}

std::string ClientMessageError::reply() const {
  if (event_id) return relay_ok(*event_id, false, Prefix::invalid, message);
  if (subscription_id && verb != "CLOSE") {
    const Prefix p = parse_code == ParseErrorCode::unknown_field ? Prefix::unsupported : Prefix::invalid;
    return relay_closed(*subscription_id, p, message);
  }
  return relay_notice(prefixed(Prefix::invalid, message));
}

namespace {

std::string event_like(std::string_view verb, const Event& e) {
  std::string out = "[\"";
  out.append(verb);
  out.append("\",");
  out.append(e.raw.empty() ? event_to_json(e) : e.raw);
  out.push_back(']');
  return out;
}

std::string req_like(std::string_view verb, std::string_view sub, const std::vector<Filter>& filters) {
  std::string out = "[\"";
  out.append(verb);
  out.append("\",");
  append_json_string_lossy(out, sub);
  for (const Filter& f : filters) {
    out.push_back(',');
    out.append(filter_to_json(f));
  }
  out.push_back(']');
  return out;
}

}  // namespace

std::string client_event(const Event& e) { return event_like("EVENT", e); }
std::string client_auth(const Event& e) { return event_like("AUTH", e); }
std::string client_req(std::string_view sub, const std::vector<Filter>& filters) { return req_like("REQ", sub, filters); }
std::string client_count(std::string_view sub, const std::vector<Filter>& filters) {
  return req_like("COUNT", sub, filters);
}
std::string client_close(std::string_view sub) {
  std::string out = "[\"CLOSE\",";
  append_json_string_lossy(out, sub);
  out.push_back(']');
  return out;
}

}  // namespace marina::nostr
