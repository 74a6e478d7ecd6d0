#include "marina/passport/config.hpp"

#include "marina/core/config.hpp"

namespace marina::passport {

std::string declare_secret(core::Config& config) {
  std::string secret = config.secret(
      "PASSPORT_SECRET", "",
      "Shared by auth and the API services: HMAC key of the X-Auth-Passport header (at least 32 bytes).");
  // Config reports a missing value at finish(); a short one would only fail
  // later inside Signer, so say it here in the same one-line form.
  if (!secret.empty() && secret.size() < 32)
    throw core::ConfigError("invalid configuration: PASSPORT_SECRET: must be at least 32 bytes");
  return secret;
}

}  // namespace marina::passport
