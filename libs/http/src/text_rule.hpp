#pragma once
// The API's one rule for text, wherever a client writes it (JSON strings and
// keys, path and query parameters): no control characters but tab, line feed
// and carriage return (U+0000..U+001F but those three, U+007F..U+009F).
// PostgreSQL text and jsonb cannot hold U+0000, and no field means anything by
// the others; refusing (400 invalid-text) is the only answer that neither
// fails later nor stores a value cut short.
#include <optional>
#include <string>
#include <string_view>

#include "marina/http/error.hpp"

namespace marina::http::detail {

// The first refused control character in `text` (valid UTF-8), as its code point.
std::optional<unsigned> refused_control(std::string_view text);

// 400 invalid-text: "The text at <where> contains the control character U+00XX; ..."
Error invalid_text(std::string_view where, unsigned code_point);

}  // namespace marina::http::detail
