#include "binary_array.hpp"

#include <stdexcept>

namespace marina::store::detail {

namespace {

void append_u32(std::string& out, std::uint32_t v) {
  const char b[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
                     static_cast<char>(v)};
  out.append(b, 4);
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  throw std::invalid_argument("store: not a canonical uuid");
}

}  // namespace

std::array<std::uint8_t, 16> uuid_bytes(std::string_view canonical) {
  std::array<std::uint8_t, 16> b{};
  std::size_t n = 0;
  // Groups have an even number of digits, so a pair never straddles a dash.
  for (std::size_t i = 0; i < canonical.size(); ++i) {
    if (canonical[i] == '-') continue;
    if (n == 16 || i + 1 >= canonical.size()) throw std::invalid_argument("store: not a canonical uuid");
    b[n++] = static_cast<std::uint8_t>(hex_digit(canonical[i]) << 4 | hex_digit(canonical[i + 1]));
    ++i;
  }
  if (n != 16) throw std::invalid_argument("store: not a canonical uuid");
  return b;
}

void BinaryArray::put_u32(std::uint32_t v) { append_u32(body_, v); }

void BinaryArray::put_raw(const void* data, std::size_t n) {
  if (n > 0x7fffffff) throw std::length_error("store: array element too large");
  put_u32(static_cast<std::uint32_t>(n));
  body_.append(static_cast<const char*>(data), n);
  ++count_;
}

void BinaryArray::bytes(std::span<const std::uint8_t> value) { put_raw(value.data(), value.size()); }

void BinaryArray::text(std::string_view value) { put_raw(value.data(), value.size()); }

void BinaryArray::int4(std::int32_t value) {
  put_u32(4);
  put_u32(static_cast<std::uint32_t>(value));
  ++count_;
}

void BinaryArray::int8(std::int64_t value) {
  put_u32(8);
  put_u32(static_cast<std::uint32_t>(static_cast<std::uint64_t>(value) >> 32));
  put_u32(static_cast<std::uint32_t>(value));
  ++count_;
}

void BinaryArray::uuid(std::string_view canonical) {
  const auto b = uuid_bytes(canonical);
  put_raw(b.data(), b.size());
}

void BinaryArray::encoded(std::string_view element) { put_raw(element.data(), element.size()); }

void BinaryArray::null() {
  put_u32(0xffffffffu);  // length -1
  ++count_;
  has_null_ = true;
}

pqxx::binarystring BinaryArray::finish() {
  std::string header;
  if (count_ == 0) {
    // ndim 0: the empty array.
    append_u32(header, 0);
    append_u32(header, 0);
    append_u32(header, static_cast<std::uint32_t>(type_));
    return pqxx::binarystring(header);
  }
  append_u32(header, 1);  // ndim
  append_u32(header, has_null_ ? 1 : 0);
  append_u32(header, static_cast<std::uint32_t>(type_));
  append_u32(header, static_cast<std::uint32_t>(count_));  // dimension size
  append_u32(header, 1);                                    // lower bound
  body_.replace(0, kHeaderSize, header);
  return pqxx::binarystring(body_);
}

}  // namespace marina::store::detail
