#pragma once
// PostgreSQL array literals, built by hand so a whole batch travels as a few
// text parameters (libpqxx 6 sends parameters as text; `unnest($n::T[])`
// turns them back into rows on the server). Every element is written in the
// quoted form, so no value can end an element or the array early: inside
// double quotes only `"` and `\` are special, and both are escaped.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace marina::store::detail {

class ArrayLiteral {
 public:
  ArrayLiteral() : text_("{") {}

  // A quoted text element.
  void text(std::string_view value);
  // A bytea element in hex form ("\\x0a1b...").
  void bytes(std::span<const std::uint8_t> value);
  void integer(std::int64_t value);
  void null();

  // The literal; the builder is spent afterwards.
  std::string finish() &&;
  bool empty() const { return text_.size() == 1; }

 private:
  void separate();

  std::string text_;
};

}  // namespace marina::store::detail
