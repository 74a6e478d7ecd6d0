#pragma once
// GET /tenant/whoami: who the platform takes the caller for, as established by
// auth at the ingress and carried by the passport: {"pubkey": hex, "role":
// "tenant"|"admin"}. A client uses it to check its NIP-98 signing; the
// end-to-end tests use it to see the passport check from the outside.
#include "marina/http/handler.hpp"
#include "marina/passport/request_check.hpp"

namespace marina::tenants {

http::Handler whoami_handler(passport::RequestCheck check);

}  // namespace marina::tenants
