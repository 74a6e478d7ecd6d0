#pragma once
// What can go wrong with a Redis call, as types a caller can act on.
//
//   Error
//   ├─ Unavailable    not connected, or the connection dropped before the reply came:
//   │                 retry later (a write in flight may or may not have happened)
//   ├─ CommandError   Redis answered with an error reply; code() is its first word
//   │                 (WRONGTYPE, NOGROUP, NOAUTH, ...)
//   └─ ProtocolError  the reply did not have the shape the typed helper expects
#include <stdexcept>
#include <string>

namespace marina::redis {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Unavailable : public Error {
 public:
  using Error::Error;
};

class CommandError : public Error {
 public:
  explicit CommandError(const std::string& message)
      : Error(message), code_(message.substr(0, message.find(' '))) {}
  const std::string& code() const { return code_; }

 private:
  std::string code_;
};

class ProtocolError : public Error {
 public:
  using Error::Error;
};

}  // namespace marina::redis
