#pragma once
// Connection strings: what the pool adds to the operator's DATABASE_URL, and
// how a URL is shown in logs (never with its password).
#include <string>

#include "marina/pg/options.hpp"

namespace marina::pg {

// The operator's URL plus what the pool needs from every connection unless the
// URL already says otherwise: connect_timeout (an unreachable server must fail
// a call, not hang it) and TCP keepalives (notice within a minute a server
// that vanished without closing the connection).
std::string conninfo(const PoolOptions& options);

// `url` with any password replaced by "***": user:secret@ in a URL, and
// password=... as URL parameter or key=value item.
std::string redact(const std::string& url);

}  // namespace marina::pg
