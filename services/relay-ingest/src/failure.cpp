#include "failure.hpp"

#include "marina/pg/errors.hpp"
#include "marina/redis/errors.hpp"

namespace marina::relay_ingest {

namespace {

// SQLSTATE classes that say something about the server or the schema, not
// about the rows being written: 08 connection, 40 rollback (serialization,
// deadlock), 42 undefined table/column (a migration not applied yet),
// 53 insufficient resources, 55 lock not available, 57 operator intervention
// (shutdown, crash recovery; 57014 query_canceled is a Timeout), 58 system error.
bool transient_sqlstate(const std::string& state) {
  if (state.size() != 5) return false;
  const std::string cls = state.substr(0, 2);
  return cls == "08" || cls == "40" || cls == "42" || cls == "53" || cls == "55" || cls == "57" || cls == "58";
}

}  // namespace

FailureKind classify(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const redis::Error&) {
    return FailureKind::transient;
  } catch (const pg::Unavailable&) {  // also AcquireTimeout, InDoubt
    return FailureKind::transient;
  } catch (const pg::SerializationFailure&) {
    return FailureKind::transient;
  } catch (const pg::Timeout&) {
    return FailureKind::data;
  } catch (const pg::QueryError& e) {
    return transient_sqlstate(e.sqlstate()) ? FailureKind::transient : FailureKind::data;
  } catch (...) {
    return FailureKind::data;
  }
}

}  // namespace marina::relay_ingest
