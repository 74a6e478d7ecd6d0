// parse_filter and filter_to_json; matching is in filter_match.cpp.
#include <algorithm>

#include "json_dom.hpp"
#include "marina/nostr/filter.hpp"
#include "marina/nostr/serialize.hpp"

namespace marina::nostr {

namespace detail {

namespace {

using simdjson::dom::element;

Err<ParseError> fail(ParseErrorCode code, std::string message) { return err(ParseError{code, std::move(message)}); }

template <class T>
void sort_unique(std::vector<T>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

// Reads a JSON array bounded by `max` elements, calling read(element, index)
// for each; read returns an error message or empty on success.
template <class Read>
std::optional<ParseError> read_list(element value, std::string_view name, std::size_t max, Read&& read) {
  simdjson::dom::array arr;
  if (value.get_array().get(arr))
    return ParseError{ParseErrorCode::wrong_type, std::string(name) + ": expected an array"};
  if (arr.size() > max)
    return ParseError{ParseErrorCode::too_many,
                      std::string(name) + ": more than " + std::to_string(max) + " values"};
  for (element item : arr)
    if (auto e = read(item)) return e;
  return std::nullopt;
}

template <class Fixed>
std::optional<ParseError> read_hex_list(element value, std::string_view name, std::size_t max,
                                        std::vector<Fixed>& out) {
  simdjson::dom::array arr;
  if (!value.get_array().get(arr)) out.reserve(std::min<std::size_t>(arr.size(), max));
  auto e = read_list(value, name, max, [&](element item) -> std::optional<ParseError> {
    std::string_view s;
    Fixed f;
    if (item.get_string().get(s))
      return ParseError{ParseErrorCode::wrong_type, std::string(name) + ": expected strings"};
    if (!lower_hex_decode_to(s, f.bytes))
      return ParseError{ParseErrorCode::bad_value, std::string(name) + ": expected 64 lowercase hex characters"};
    out.push_back(f);
    return std::nullopt;
  });
  sort_unique(out);
  return e;
}

std::optional<ParseError> read_timestamp(element value, std::string_view name, std::optional<std::int64_t>& out) {
  std::int64_t v = 0;
  switch (read_bounded_int(value, kMaxCreatedAt, v)) {
    case IntRead::ok: out = v; return std::nullopt;
    case IntRead::not_integer: return ParseError{ParseErrorCode::wrong_type, std::string(name) + ": expected an integer"};
    case IntRead::out_of_range:
      return ParseError{ParseErrorCode::out_of_range, std::string(name) + ": must be between 0 and 9007199254740991"};
  }
  return std::nullopt;
}

bool is_ascii_letter(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Bit index for a tag letter: a-z -> 0..25, A-Z -> 26..51.
unsigned letter_bit(char c) noexcept { return c >= 'a' ? unsigned(c - 'a') : 26u + unsigned(c - 'A'); }


}  // namespace

Result<Filter, ParseError> parse_filter_element(element root, const FilterLimits& limits) {
  simdjson::dom::object obj;
  if (root.get_object().get(obj)) return fail(ParseErrorCode::wrong_type, "filter: expected a JSON object");

  enum : unsigned { kIds = 1, kAuthors = 2, kKinds = 4, kSince = 8, kUntil = 16, kLimit = 32, kSearch = 64 };
  unsigned seen = 0;
  std::uint64_t seen_letters = 0;
  Filter f;

  auto mark = [&](unsigned bit, std::string_view key) -> std::optional<ParseError> {
    if (seen & bit) return ParseError{ParseErrorCode::duplicate_field, "duplicate field " + quoted_field(key)};
    seen |= bit;
    return std::nullopt;
  };

  for (auto field : obj) {
    const std::string_view key = field.key;
    const element value = field.value;
    std::optional<ParseError> e;
    if (key == "ids") {
      if (!(e = mark(kIds, key))) e = read_hex_list(value, "ids", limits.max_ids, f.ids.emplace());
    } else if (key == "authors") {
      if (!(e = mark(kAuthors, key))) e = read_hex_list(value, "authors", limits.max_authors, f.authors.emplace());
    } else if (key == "kinds") {
      if (!(e = mark(kKinds, key))) {
        auto& kinds = f.kinds.emplace();
        e = read_list(value, "kinds", limits.max_kinds, [&](element item) -> std::optional<ParseError> {
          std::int64_t k = 0;
          switch (read_bounded_int(item, 65535, k)) {
            case IntRead::ok: kinds.push_back(static_cast<Kind>(k)); return std::nullopt;
            case IntRead::not_integer: return ParseError{ParseErrorCode::wrong_type, "kinds: expected integers"};
            case IntRead::out_of_range:
              return ParseError{ParseErrorCode::out_of_range, "kinds: must be between 0 and 65535"};
          }
          return std::nullopt;
        });
        sort_unique(kinds);
      }
    } else if (key == "since") {
      if (!(e = mark(kSince, key))) e = read_timestamp(value, "since", f.since);
    } else if (key == "until") {
      if (!(e = mark(kUntil, key))) e = read_timestamp(value, "until", f.until);
    } else if (key == "limit") {
      if (!(e = mark(kLimit, key))) {
        std::uint64_t n = 0;
        std::int64_t signed_value = 0;
        switch (value.type()) {
          case simdjson::dom::element_type::INT64:
            signed_value = value.get_int64().value_unsafe();
            if (signed_value < 0) e = ParseError{ParseErrorCode::out_of_range, "limit: must not be negative"};
            n = static_cast<std::uint64_t>(signed_value);
            break;
          case simdjson::dom::element_type::UINT64: n = value.get_uint64().value_unsafe(); break;
          default: e = ParseError{ParseErrorCode::wrong_type, "limit: expected an integer"};
        }
        if (!e) {
          if (n > limits.max_limit && !limits.clamp_limit)
            e = ParseError{ParseErrorCode::out_of_range, "limit: must be at most " + std::to_string(limits.max_limit)};
          f.limit = std::min(n, limits.max_limit);
        }
      }
    } else if (key == "search") {
      if (!(e = mark(kSearch, key))) {
        std::string_view s;
        if (value.get_string().get(s))
          e = ParseError{ParseErrorCode::wrong_type, "search: expected a string"};
        else if (s.size() > limits.max_search_bytes)
          e = ParseError{ParseErrorCode::too_long,
                         "search: longer than " + std::to_string(limits.max_search_bytes) + " bytes"};
        else
          f.search.emplace(s);
      }
    } else if (key.size() == 2 && key[0] == '#' && is_ascii_letter(key[1])) {
      const char letter = key[1];
      const std::uint64_t bit = std::uint64_t{1} << letter_bit(letter);
      if (seen_letters & bit) {
        e = ParseError{ParseErrorCode::duplicate_field, "duplicate field " + quoted_field(key)};
      } else if (f.tags.size() == limits.max_tag_filters) {
        e = ParseError{ParseErrorCode::too_many,
                       "more than " + std::to_string(limits.max_tag_filters) + " tag conditions"};
      } else {
        seen_letters |= bit;
        TagCondition& cond = f.tags.emplace_back();
        cond.letter = letter;
        // NIP-01: #e and #p hold exact 64-char lowercase hex values.
        const bool hex_only = letter == 'e' || letter == 'p';
        const std::string name(key);
        e = read_list(value, name, limits.max_tag_values, [&](element item) -> std::optional<ParseError> {
          std::string_view s;
          if (item.get_string().get(s)) return ParseError{ParseErrorCode::wrong_type, name + ": expected strings"};
          if (s.size() > limits.max_tag_value_bytes)
            return ParseError{ParseErrorCode::too_long,
                              name + ": a value is longer than " + std::to_string(limits.max_tag_value_bytes) +
                                  " bytes"};
          if (hex_only) {
            EventId scratch;
            if (!lower_hex_decode_to(s, scratch.bytes))
              return ParseError{ParseErrorCode::bad_value, name + ": expected 64 lowercase hex characters"};
          }
          cond.values.emplace_back(s);
          return std::nullopt;
        });
        sort_unique(cond.values);
      }
    } else {
      e = ParseError{ParseErrorCode::unknown_field, "unknown filter field " + quoted_field(key)};
    }
    if (e) return err(std::move(*e));
  }

  std::sort(f.tags.begin(), f.tags.end(),
            [](const TagCondition& a, const TagCondition& b) { return a.letter < b.letter; });
  return f;
}

}  // namespace detail

Result<Filter, ParseError> parse_filter(std::string_view json, const FilterLimits& limits) {
  simdjson::dom::element root;
  if (auto error = detail::parse_dom(json, root))
    return err(ParseError{ParseErrorCode::malformed_json, detail::malformed_json_message(error)});
  return detail::parse_filter_element(root, limits);
}

namespace {

template <class Fixed>
void append_hex_list(std::string& out, const std::vector<Fixed>& v) {
  out.push_back('[');
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) out.push_back(',');
    out.push_back('"');
    v[i].append_hex(out);
    out.push_back('"');
  }
  out.push_back(']');
}

}  // namespace

std::string filter_to_json(const Filter& f) {
  std::string out = "{";
  auto key = [&](std::string_view k) {
    if (out.size() > 1) out.push_back(',');
    out.push_back('"');
    out.append(k);
    out.append("\":");
  };
  if (f.ids) {
    key("ids");
    append_hex_list(out, *f.ids);
  }
  if (f.authors) {
    key("authors");
    append_hex_list(out, *f.authors);
  }
  if (f.kinds) {
    key("kinds");
    out.push_back('[');
    for (std::size_t i = 0; i < f.kinds->size(); ++i) {
      if (i) out.push_back(',');
      out.append(std::to_string((*f.kinds)[i]));
    }
    out.push_back(']');
  }
  for (const TagCondition& c : f.tags) {
    key(std::string{'#', c.letter});
    out.push_back('[');
    for (std::size_t i = 0; i < c.values.size(); ++i) {
      if (i) out.push_back(',');
      append_json_string(out, c.values[i]);
    }
    out.push_back(']');
  }
  auto number = [&](std::string_view k, auto v) {
    key(k);
    out.append(std::to_string(v));
  };
  if (f.since) number("since", *f.since);
  if (f.until) number("until", *f.until);
  if (f.limit) number("limit", *f.limit);
  if (f.search) {
    key("search");
    append_json_string(out, *f.search);
  }
  out.push_back('}');
  return out;
}

}  // namespace marina::nostr
