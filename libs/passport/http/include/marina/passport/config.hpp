#pragma once
// PASSPORT_SECRET, declared the same way by every service that issues
// passports (auth) or checks them (tenants, billing).
#include <string>

namespace marina::core {
class Config;
}

namespace marina::passport {

// Declares PASSPORT_SECRET (required, never printed) and returns its value.
// Throws core::ConfigError when it is set but shorter than 32 bytes, the
// least Signer accepts. Call before Context::finish_config().
std::string declare_secret(core::Config& config);

}  // namespace marina::passport
