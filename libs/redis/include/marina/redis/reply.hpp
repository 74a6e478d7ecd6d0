#pragma once
// One Redis reply (RESP2), owned: hiredis' reply is copied out before it is freed.
#include <cstdint>
#include <string>
#include <vector>

namespace marina::redis {

struct Reply {
  enum class Type { nil, string, status, integer, error, array };

  Type type = Type::nil;
  std::string str;           // bulk string, status ("OK") or error text
  std::int64_t integer = 0;
  std::vector<Reply> elements;

  bool is_nil() const { return type == Type::nil; }
  bool is_error() const { return type == Type::error; }

  // Typed access; ProtocolError (naming what came instead) on another type.
  const std::string& as_string() const;  // bulk string or status
  std::int64_t as_integer() const;
  const std::vector<Reply>& as_array() const;
  // CommandError when this is an error reply.
  const Reply& throw_if_error() const;

  // Short text for error messages: "nil", "integer 3", "array of 2", ...
  std::string describe() const;

  static Reply make_string(std::string s) { return Reply{Type::string, std::move(s), 0, {}}; }
  static Reply make_status(std::string s) { return Reply{Type::status, std::move(s), 0, {}}; }
  static Reply make_error(std::string s) { return Reply{Type::error, std::move(s), 0, {}}; }
  static Reply make_integer(std::int64_t v) { return Reply{Type::integer, {}, v, {}}; }
  static Reply make_array(std::vector<Reply> e) { return Reply{Type::array, {}, 0, std::move(e)}; }
  static Reply make_nil() { return Reply{}; }
};

}  // namespace marina::redis
