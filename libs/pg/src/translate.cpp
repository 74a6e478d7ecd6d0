#include "translate.hpp"

#include <pqxx/except>
#include <string>
#include <string_view>

#include "marina/pg/errors.hpp"

namespace marina::pg::detail {

namespace {

// PostgreSQL names the index in the message text only:
//   duplicate key value violates unique constraint "tenants_pkey"
std::string constraint_from(std::string_view message) {
  constexpr std::string_view marker = "unique constraint \"";
  auto start = message.find(marker);
  if (start == std::string_view::npos) return {};
  start += marker.size();
  auto end = message.find('"', start);
  if (end == std::string_view::npos) return {};
  return std::string(message.substr(start, end - start));
}

// libpqxx messages end with a newline (and sometimes the query); one line for the log.
std::string first_line(std::string_view message) {
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.remove_suffix(1);
  auto nl = message.find('\n');
  return std::string(message.substr(0, nl));
}

bool connection_class(std::string_view state) {
  // 08xxx connection exceptions; 57P01-57P03 the server is shutting down or crashed.
  return state.starts_with("08") || state == "57P01" || state == "57P02" || state == "57P03";
}

template <typename E, typename... Args>
Translated make(bool lost, Args&&... args) {
  return {std::make_exception_ptr(E(std::forward<Args>(args)...)), lost};
}

}  // namespace

Translated translate_current_exception() {
  try {
    throw;
  } catch (const pqxx::in_doubt_error& e) {
    return make<InDoubt>(true, "commit outcome unknown: " + first_line(e.what()));
  } catch (const pqxx::statement_completion_unknown& e) {
    return make<InDoubt>(true, "statement outcome unknown: " + first_line(e.what()));
  } catch (const pqxx::broken_connection& e) {
    return make<Unavailable>(true, "database unavailable: " + first_line(e.what()));
  } catch (const pqxx::serialization_failure& e) {
    return make<SerializationFailure>(false, first_line(e.what()), "40001");
  } catch (const pqxx::deadlock_detected& e) {
    return make<SerializationFailure>(false, first_line(e.what()), "40P01");
  } catch (const pqxx::sql_error& e) {
    const std::string& state = e.sqlstate();
    std::string message = first_line(e.what());
    if (state == "23505") return make<UniqueViolation>(false, message, constraint_from(e.what()));
    if (state == "57014" || state == "55P03") return make<Timeout>(false, message, state);
    if (state == "40001" || state == "40P01") return make<SerializationFailure>(false, message, state);
    if (connection_class(state)) return make<Unavailable>(true, "database unavailable: " + message);
    return make<QueryError>(false, message, state);
  } catch (const pqxx::failure& e) {
    return make<Error>(false, first_line(e.what()));
  } catch (...) {
    return {std::current_exception(), false};
  }
}

}  // namespace marina::pg::detail
