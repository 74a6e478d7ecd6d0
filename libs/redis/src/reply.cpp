#include "marina/redis/reply.hpp"

#include "marina/redis/errors.hpp"

namespace marina::redis {

const std::string& Reply::as_string() const {
  throw_if_error();
  if (type != Type::string && type != Type::status) throw ProtocolError("expected a string reply, got " + describe());
  return str;
}

std::int64_t Reply::as_integer() const {
  throw_if_error();
  if (type != Type::integer) throw ProtocolError("expected an integer reply, got " + describe());
  return integer;
}

const std::vector<Reply>& Reply::as_array() const {
  throw_if_error();
  if (type != Type::array) throw ProtocolError("expected an array reply, got " + describe());
  return elements;
}

const Reply& Reply::throw_if_error() const {
  if (type == Type::error) throw CommandError(str);
  return *this;
}

std::string Reply::describe() const {
  switch (type) {
    case Type::nil:
      return "nil";
    case Type::string:
      return "string of " + std::to_string(str.size()) + " bytes";
    case Type::status:
      return "status " + str;
    case Type::integer:
      return "integer " + std::to_string(integer);
    case Type::error:
      return "error " + str;
    case Type::array:
      return "array of " + std::to_string(elements.size());
  }
  return "?";
}

}  // namespace marina::redis
