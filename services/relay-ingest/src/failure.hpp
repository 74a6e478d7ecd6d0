#pragma once
// How the pipeline reacts to an exception from storage or Redis.
#include <exception>
#include <string>

#include "marina/asio/retry.hpp"
#include "marina/core/exception.hpp"

namespace marina::relay_ingest {

enum class FailureKind {
  // The backend is down, busy or restarting, or the schema is not what this
  // code expects yet: nothing is wrong with the events. Retry the same work
  // later, ack nothing meanwhile.
  transient,
  // The database refused the batch because of what is in it (a value it
  // cannot take, a constraint, a timeout on one huge event): retrying the
  // same batch would fail forever, so it is split to find the culprit.
  data,
};

FailureKind classify(const std::exception_ptr& error);

// One line for logs and "error: ..." replies.
using core::describe;

// The stage gave up because the service is stopping (its wait was cancelled).
using coro::is_cancellation;

}  // namespace marina::relay_ingest
