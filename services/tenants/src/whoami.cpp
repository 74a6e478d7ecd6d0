#include "whoami.hpp"

#include "marina/http/json.hpp"

namespace marina::tenants {

http::Handler whoami_handler(passport::RequestCheck check) {
  return [check = std::move(check)](http::Request& req) -> boost::asio::awaitable<http::Response> {
    const passport::Identity who = check.identify(req);
    co_return http::json_response({{"pubkey", who.pubkey}, {"role", passport::to_string(who.role)}});
  };
}

}  // namespace marina::tenants
