#pragma once
// Turns what libpqxx throws into the types of marina/pg/errors.hpp.
#include <exception>

namespace marina::pg::detail {

struct Translated {
  std::exception_ptr error;
  // The connection can no longer be trusted and must be closed, not reused.
  bool connection_lost = false;
};

// Call inside a catch block: translates the exception being handled.
// Exceptions that are not libpqxx runtime failures pass through unchanged.
Translated translate_current_exception();

}  // namespace marina::pg::detail
