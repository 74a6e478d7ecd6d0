#pragma once
// The person's Nostr secret key on disk: one line of hex in a file only its
// owner can read (mode 600, directory 700), default ~/.config/marina/key.
// A key file others can read is refused, as ssh does, rather than used.
#include <optional>
#include <string>

#include "marina/nostr/keys.hpp"

namespace marina::cli {

// $HOME/.config/marina/key
std::string default_key_path();

// The key in `path`; throws std::runtime_error (missing file, bad content,
// permissions wider than 600).
nostr::SecretKey load_key(const std::string& path);

// Writes `key` to `path` with mode 600, creating the directory (700). Refuses
// to replace an existing file unless `overwrite`.
void save_key(const std::string& path, const nostr::SecretKey& key, bool overwrite);

// An nsec1... or 64 hex characters; nullopt when neither.
std::optional<nostr::SecretKey> parse_secret(const std::string& text);

}  // namespace marina::cli
