#pragma once
// Helpers shared by the libs/nostr tests: where the protocol texts and
// vectors are, and how to pull the JSON examples out of a NIP.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "marina/nostr/event.hpp"
#include "marina/nostr/keys.hpp"

namespace marina::nostr::test {

// ../shared beside the project (tests get MARINA_SOURCE_DIR from ctest).
inline std::string shared_dir() {
  const char* src = std::getenv("MARINA_SOURCE_DIR");
  if (src == nullptr) throw std::runtime_error("MARINA_SOURCE_DIR is not set (run the test through ctest)");
  return std::string(src) + "/../shared";
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string nip_text(const std::string& number) { return read_file(shared_dir() + "/nips/" + number + ".md"); }

// The ```json fenced blocks of a NIP, in order.
inline std::vector<std::string> json_blocks(const std::string& markdown) {
  std::vector<std::string> out;
  const std::regex block("```json\\n([\\s\\S]*?)```");
  for (auto it = std::sregex_iterator(markdown.begin(), markdown.end(), block); it != std::sregex_iterator(); ++it)
    out.push_back((*it)[1].str());
  return out;
}

// The json block of `markdown` that contains `needle`.
inline std::string json_block_containing(const std::string& markdown, const std::string& needle) {
  for (const auto& b : json_blocks(markdown))
    if (b.find(needle) != std::string::npos) return b;
  throw std::runtime_error("no json block contains " + needle);
}

inline SecretKey key_from_hex(const std::string& hex) {
  auto k = SecretKey::from_hex(hex);
  if (!k) throw std::runtime_error("bad test key " + hex);
  return *k;
}

// A fixed key for tests that need one (any valid scalar works).
inline SecretKey alice() { return key_from_hex("0beebd062ec8735f4243466049d7747ef5d6594ee838de147f8aab842b15e273"); }
inline SecretKey bob() { return key_from_hex("e108399bd8424357a710b606ae0c13166d853d327e47a6e5e038197346bdbf45"); }

}  // namespace marina::nostr::test
