#include "marina/nostr/parse_error.hpp"

namespace marina::nostr {

std::string_view to_string(ParseErrorCode code) noexcept {
  switch (code) {
    case ParseErrorCode::malformed_json: return "malformed-json";
    case ParseErrorCode::wrong_type: return "wrong-type";
    case ParseErrorCode::missing_field: return "missing-field";
    case ParseErrorCode::unknown_field: return "unknown-field";
    case ParseErrorCode::duplicate_field: return "duplicate-field";
    case ParseErrorCode::bad_value: return "bad-value";
    case ParseErrorCode::out_of_range: return "out-of-range";
    case ParseErrorCode::too_many: return "too-many";
    case ParseErrorCode::too_long: return "too-long";
    case ParseErrorCode::id_mismatch: return "id-mismatch";
  }
  return "unknown";
}

}  // namespace marina::nostr
