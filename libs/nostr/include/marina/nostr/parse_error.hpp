#pragma once
// The error returned by strict parsers (events, filters). `message` is one
// line in plain words that names the offending field, written to follow a
// NIP-01 prefix: the relay answers `OK <id> false "invalid: <message>"`.
#include <string>
#include <string_view>

namespace marina::nostr {

enum class ParseErrorCode {
  malformed_json,   // not JSON at all, or not UTF-8
  wrong_type,       // e.g. kind is a string, a tag is not an array
  missing_field,    // a required field is absent
  unknown_field,    // a field the format does not define (the field set is exact)
  duplicate_field,  // the same field twice in one object
  bad_value,        // right type, wrong content (hex case/length, empty tag, ...)
  out_of_range,     // a number outside what the format allows
  too_many,         // a list longer than the configured bound
  too_long,         // a string longer than the configured bound
  id_mismatch,      // the id is not the hash of the event
};

std::string_view to_string(ParseErrorCode code) noexcept;

struct ParseError {
  ParseErrorCode code;
  std::string message;
};

}  // namespace marina::nostr
