#pragma once
// What can go wrong with a database call, as types a caller can act on.
//
//   Error                      anything below; what() is one line for the log
//   ├─ Unavailable             the server could not be reached or the connection broke:
//   │  │                       the transaction was not committed; retry later, report not ready
//   │  ├─ AcquireTimeout       no connection came free in time (pool saturated); nothing ran
//   │  └─ InDoubt              the connection broke during COMMIT: it may or may not have committed
//   └─ QueryError              the server rejected a statement; sqlstate() says why
//      ├─ Timeout              statement_timeout / lock_timeout / cancelled (57014, 55P03)
//      ├─ UniqueViolation      23505; constraint() names the unique index
//      └─ SerializationFailure 40001 / 40P01: run the whole transaction again
//
// Exceptions thrown by the caller's own function pass through unchanged.
#include <stdexcept>
#include <string>

namespace marina::pg {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Unavailable : public Error {
 public:
  using Error::Error;
};

class AcquireTimeout : public Unavailable {
 public:
  using Unavailable::Unavailable;
};

class InDoubt : public Unavailable {
 public:
  using Unavailable::Unavailable;
};

class QueryError : public Error {
 public:
  QueryError(const std::string& message, std::string sqlstate) : Error(message), sqlstate_(std::move(sqlstate)) {}
  // Five-character SQLSTATE, "" when the server did not send one.
  const std::string& sqlstate() const { return sqlstate_; }

 private:
  std::string sqlstate_;
};

class Timeout : public QueryError {
 public:
  using QueryError::QueryError;
};

class UniqueViolation : public QueryError {
 public:
  UniqueViolation(const std::string& message, std::string constraint)
      : QueryError(message, "23505"), constraint_(std::move(constraint)) {}
  // The violated constraint's name (e.g. "tenants_pkey"); "" if the message did not say.
  const std::string& constraint() const { return constraint_; }

 private:
  std::string constraint_;
};

class SerializationFailure : public QueryError {
 public:
  using QueryError::QueryError;
};

}  // namespace marina::pg
