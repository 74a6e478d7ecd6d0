#include "key_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "marina/nostr/nip19.hpp"

namespace marina::cli {

std::string default_key_path() {
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home == '\0') throw std::runtime_error("HOME is not set; pass --key-file");
  return std::string(home) + "/.config/marina/key";
}

std::optional<nostr::SecretKey> parse_secret(const std::string& text) {
  if (text.rfind("nsec1", 0) == 0) {
    auto decoded = nostr::nip19::decode_nsec(text);
    if (!decoded) return std::nullopt;
    return *decoded;
  }
  return nostr::SecretKey::from_hex(text);
}

nostr::SecretKey load_key(const std::string& path) {
  struct stat st{};
  if (::stat(path.c_str(), &st) != 0)
    throw std::runtime_error("no key in " + path + " (run `marina key generate` or `marina key import <nsec>`)");
  if ((st.st_mode & 077) != 0)
    throw std::runtime_error(path + " can be read by others; run `chmod 600 " + path + "`");
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r' || line.back() == ' ')) line.pop_back();
  auto key = parse_secret(line);
  if (!key) throw std::runtime_error(path + " does not hold a Nostr secret key");
  return *key;
}

void save_key(const std::string& path, const nostr::SecretKey& key, bool overwrite) {
  const std::filesystem::path p(path);
  if (p.has_parent_path()) {
    std::filesystem::create_directories(p.parent_path());
    ::chmod(p.parent_path().c_str(), 0700);
  }
  if (!overwrite && std::filesystem::exists(p))
    throw std::runtime_error(path + " already holds a key (pass --force to replace it)");
  // Written next to the target with mode 600 from its creation, then renamed:
  // the secret is never in a file others could read, even for a moment.
  const std::string tmp = path + ".tmp";
  ::unlink(tmp.c_str());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) throw std::runtime_error("cannot write " + tmp);
  const std::string line = key.reveal_hex() + "\n";
  const bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    throw std::runtime_error("cannot write " + path);
  }
}

}  // namespace marina::cli
