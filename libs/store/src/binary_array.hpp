#pragma once
// One-dimensional PostgreSQL arrays in the binary wire format (what
// array_send writes and array_recv reads), sent as binary parameters.
//
// The write path moves a whole batch in a few array parameters. In text
// form the server would parse every element (quotes, escapes, hex for
// bytea) before the first row is inserted; in binary form each element is a
// length and its bytes, so nothing needs escaping and nothing is parsed.
// The statement must give the parameter its type (`$3::bytea[]`): the
// element type in the data must match it.
#include <array>
#include <cstdint>
#include <pqxx/binarystring>
#include <span>
#include <string>
#include <string_view>

namespace marina::store::detail {

// The 16 bytes of a canonical uuid string ("0a0b0c0d-..."), its binary form;
// throws std::invalid_argument for anything else.
std::array<std::uint8_t, 16> uuid_bytes(std::string_view canonical);

class BinaryArray {
 public:
  enum class Type : std::uint32_t { bytea = 17, int8 = 20, int4 = 23, text = 25, uuid = 2950, tsvector = 3614 };

  // The body starts with room for the header, so finish() copies nothing twice.
  explicit BinaryArray(Type type) : type_(type), body_(kHeaderSize, '\0') {}

  // bytea or text (text must be valid UTF-8 without NUL: the server checks).
  void bytes(std::span<const std::uint8_t> value);
  void text(std::string_view value);
  void int4(std::int32_t value);
  void int8(std::int64_t value);
  // A canonical uuid string ("0a0b0c0d-...").
  void uuid(std::string_view canonical);
  void null();
  // An element already in its type's binary form (e.g. tsvector_binary()).
  void encoded(std::string_view element);

  std::size_t size() const { return count_; }
  // The parameter; the builder is spent afterwards.
  pqxx::binarystring finish();

 private:
  static constexpr std::size_t kHeaderSize = 20;  // ndim, has-null, element type, size, lower bound

  void put_u32(std::uint32_t v);
  void put_raw(const void* data, std::size_t n);

  Type type_;
  std::string body_;
  std::size_t count_ = 0;
  bool has_null_ = false;
};

}  // namespace marina::store::detail
