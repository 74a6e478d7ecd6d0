#include "pg_admin.hpp"

#include <pqxx/pqxx>
#include <stdexcept>

namespace marina::testing::detail {

std::string with_database(const std::string& url, const std::string& database) {
  auto scheme = url.find("://");
  if (scheme == std::string::npos) throw std::invalid_argument("not a postgresql:// URL: " + url);
  auto path = url.find('/', scheme + 3);
  auto query = url.find('?', scheme + 3);
  std::string authority = url.substr(0, std::min(path, query));
  std::string params = query == std::string::npos ? "" : url.substr(query);
  return authority + "/" + database + params;
}

void create_database(const std::string& url, const std::string& name) {
  pqxx::connection conn(url);
  pqxx::nontransaction tx(conn);
  tx.exec("CREATE DATABASE " + tx.quote_name(name));
}

bool pg_accepting(const std::string& url) {
  try {
    pqxx::connection conn(url);
    return true;
  } catch (const pqxx::broken_connection&) {
    return false;  // not listening yet, or "the database system is starting up"
  }
}

}  // namespace marina::testing::detail
