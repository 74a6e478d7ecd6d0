#include "marina/nostr/event_parse.hpp"

#include "json_dom.hpp"
#include "marina/nostr/serialize.hpp"

namespace marina::nostr {

namespace detail {

namespace {

using simdjson::dom::element;

enum Field : unsigned { kId, kPubkey, kCreatedAt, kKind, kTags, kContent, kSig, kFieldCount };
constexpr std::string_view kFieldNames[kFieldCount] = {"id", "pubkey", "created_at", "kind", "tags", "content", "sig"};

int field_index(std::string_view key) noexcept {
  for (unsigned i = 0; i < kFieldCount; ++i)
    if (key == kFieldNames[i]) return static_cast<int>(i);
  return -1;
}

Err<ParseError> fail(ParseErrorCode code, std::string message) { return err(ParseError{code, std::move(message)}); }

// Lowercase hex of exactly Fixed's size; names `field` in the error.
template <class Fixed>
std::optional<ParseError> read_hex(element value, std::string_view field, Fixed& out) {
  std::string_view s;
  const bool is_string = !value.get_string().get(s);
  if (is_string && lower_hex_decode_to(s, out.bytes)) return std::nullopt;
  return ParseError{is_string ? ParseErrorCode::bad_value : ParseErrorCode::wrong_type,
                    std::string(field) + ": expected " + std::to_string(Fixed::hex_size()) +
                        " lowercase hex characters"};
}

Result<Tags, ParseError> read_tags(element value) {
  simdjson::dom::array outer;
  if (value.get_array().get(outer)) return fail(ParseErrorCode::wrong_type, "tags: expected an array of arrays");
  Tags tags;
  tags.reserve(outer.size());
  std::size_t i = 0;
  for (element tag_el : outer) {
    simdjson::dom::array inner;
    if (tag_el.get_array().get(inner))
      return fail(ParseErrorCode::wrong_type, "tags[" + std::to_string(i) + "]: expected an array of strings");
    Tag tag;
    tag.reserve(inner.size());
    std::size_t j = 0;
    for (element item : inner) {
      std::string_view s;
      if (item.get_string().get(s))
        return fail(ParseErrorCode::wrong_type,
                    "tags[" + std::to_string(i) + "][" + std::to_string(j) + "]: expected a string");
      tag.emplace_back(s);
      ++j;
    }
    if (tag.empty())
      return fail(ParseErrorCode::bad_value, "tags[" + std::to_string(i) + "]: a tag needs at least one string");
    tags.push_back(std::move(tag));
    ++i;
  }
  return tags;
}

}  // namespace

Result<Event, ParseError> parse_event_element(element root, std::string_view raw, EventShape shape,
                                              const EventParseOptions& options) {
  simdjson::dom::object obj;
  if (root.get_object().get(obj)) return fail(ParseErrorCode::wrong_type, "event: expected a JSON object");

  Event ev;
  unsigned seen = 0;
  for (auto field : obj) {
    const int index = field_index(field.key);
    if (index < 0 || (index == kSig && shape == EventShape::rumor))
      return fail(ParseErrorCode::unknown_field,
                  index == kSig ? "a rumor must not have a \"sig\"" : "unknown field " + quoted_field(field.key));
    const unsigned bit = 1u << index;
    if (seen & bit) return fail(ParseErrorCode::duplicate_field, "duplicate field " + quoted_field(field.key));
    seen |= bit;

    const element value = field.value;
    switch (index) {
      case kId:
        if (auto e = read_hex(value, "id", ev.id)) return err(std::move(*e));
        break;
      case kPubkey:
        if (auto e = read_hex(value, "pubkey", ev.pubkey)) return err(std::move(*e));
        break;
      case kSig:
        if (auto e = read_hex(value, "sig", ev.sig)) return err(std::move(*e));
        break;
      case kCreatedAt: {
        switch (read_bounded_int(value, kMaxCreatedAt, ev.created_at)) {
          case IntRead::ok: break;
          case IntRead::not_integer: return fail(ParseErrorCode::wrong_type, "created_at: expected an integer");
          case IntRead::out_of_range:
            return fail(ParseErrorCode::out_of_range, "created_at: must be between 0 and 9007199254740991");
        }
        break;
      }
      case kKind: {
        std::int64_t k = 0;
        switch (read_bounded_int(value, 65535, k)) {
          case IntRead::ok: break;
          case IntRead::not_integer: return fail(ParseErrorCode::wrong_type, "kind: expected an integer");
          case IntRead::out_of_range: return fail(ParseErrorCode::out_of_range, "kind: must be between 0 and 65535");
        }
        ev.kind = static_cast<Kind>(k);
        break;
      }
      case kTags: {
        auto tags = read_tags(value);
        if (!tags) return err(std::move(tags).error());
        ev.tags = std::move(tags).value();
        break;
      }
      case kContent: {
        std::string_view s;
        if (value.get_string().get(s)) return fail(ParseErrorCode::wrong_type, "content: expected a string");
        ev.content.assign(s);
        break;
      }
      default: break;
    }
  }

  const unsigned required = shape == EventShape::rumor ? (1u << kFieldCount) - 1 - (1u << kSig)
                                                       : (1u << kFieldCount) - 1;
  if (seen != required) {
    for (unsigned i = 0; i < kFieldCount; ++i)
      if ((required & (1u << i)) && !(seen & (1u << i)))
        return fail(ParseErrorCode::missing_field, "missing field " + quoted_field(kFieldNames[i]));
  }

  if (options.check_id && compute_event_id(ev) != ev.id)
    return fail(ParseErrorCode::id_mismatch, "id: does not match the hash of the event");

  ev.raw.assign(raw);
  return ev;
}

}  // namespace detail

namespace {

Result<Event, ParseError> parse_with_shape(std::string_view json, detail::EventShape shape,
                                           const EventParseOptions& options) {
  simdjson::dom::element root;
  if (auto error = detail::parse_dom(json, root))
    return err(ParseError{ParseErrorCode::malformed_json, detail::malformed_json_message(error)});
  return detail::parse_event_element(root, detail::trim_json_whitespace(json), shape, options);
}

}  // namespace

Result<Event, ParseError> parse_event(std::string_view json, const EventParseOptions& options) {
  return parse_with_shape(json, detail::EventShape::signed_event, options);
}

Result<Event, ParseError> parse_rumor(std::string_view json, const EventParseOptions& options) {
  return parse_with_shape(json, detail::EventShape::rumor, options);
}

}  // namespace marina::nostr
