#pragma once
// Relay secret keys at rest: AES-256-GCM under MASTER_KEY. The stored form is
// nonce (12 random bytes) || ciphertext || tag (16 bytes), so a row carries
// everything needed to open it but the key; the tag makes any change to the
// row (or the wrong key) fail to open instead of yielding a wrong secret.
#include <optional>
#include <string>
#include <string_view>

namespace marina::tenants {

// `key` is 32 bytes. Returns nonce||ciphertext||tag (binary).
std::string seal(std::string_view key, std::string_view plaintext);
// nullopt when the blob was altered or sealed under another key.
std::optional<std::string> open_sealed(std::string_view key, std::string_view sealed);

}  // namespace marina::tenants
