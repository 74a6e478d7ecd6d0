#include "marina/nostr/sha256.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <memory>
#include <stdexcept>

namespace marina::nostr {

namespace {

// OpenSSL 3 looks an algorithm up by name on every implicit fetch; fetching
// once and reusing one context per thread keeps a 600-byte hash at the cost
// of the hashing itself.
const EVP_MD* sha256_md() {
  static EVP_MD* md = [] {
    EVP_MD* m = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (m == nullptr) throw std::runtime_error("OpenSSL: SHA256 is not available");
    return m;
  }();
  return md;
}

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* c) const noexcept { EVP_MD_CTX_free(c); }
};
struct MacDeleter {
  void operator()(EVP_MAC* m) const noexcept { EVP_MAC_free(m); }
};
struct MacCtxDeleter {
  void operator()(EVP_MAC_CTX* c) const noexcept { EVP_MAC_CTX_free(c); }
};

EVP_MD_CTX* thread_md_ctx() {
  thread_local std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
  if (!ctx) throw std::runtime_error("OpenSSL: EVP_MD_CTX_new failed");
  return ctx.get();
}

EVP_MAC_CTX* thread_hmac_ctx() {
  static std::unique_ptr<EVP_MAC, MacDeleter> mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
  if (!mac) throw std::runtime_error("OpenSSL: HMAC is not available");
  thread_local std::unique_ptr<EVP_MAC_CTX, MacCtxDeleter> ctx = [] {
    std::unique_ptr<EVP_MAC_CTX, MacCtxDeleter> c(EVP_MAC_CTX_new(mac.get()));
    if (!c) throw std::runtime_error("OpenSSL: EVP_MAC_CTX_new failed");
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                 OSSL_PARAM_construct_end()};
    if (EVP_MAC_CTX_set_params(c.get(), params) != 1) throw std::runtime_error("OpenSSL: HMAC-SHA256 setup failed");
    return c;
  }();
  return ctx.get();
}

}  // namespace

Bytes32 sha256(std::span<const std::uint8_t> data) {
  EVP_MD_CTX* ctx = thread_md_ctx();
  Bytes32 out;
  unsigned int len = 0;
  if (EVP_DigestInit_ex2(ctx, sha256_md(), nullptr) != 1 || EVP_DigestUpdate(ctx, data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(ctx, out.data(), &len) != 1 || len != 32)
    throw std::runtime_error("OpenSSL: SHA256 failed");
  return out;
}

Bytes32 sha256(std::string_view data) {
  return sha256(std::span(reinterpret_cast<const std::uint8_t*>(data.data()), data.size()));
}

Bytes32 hmac_sha256(std::span<const std::uint8_t> key, std::initializer_list<std::span<const std::uint8_t>> parts) {
  EVP_MAC_CTX* ctx = thread_hmac_ctx();
  // A zero-length key must still be a non-null pointer for EVP_MAC_init to
  // treat it as a key (null means "keep the previous key").
  static const std::uint8_t kEmpty = 0;
  if (EVP_MAC_init(ctx, key.empty() ? &kEmpty : key.data(), key.size(), nullptr) != 1)
    throw std::runtime_error("OpenSSL: HMAC init failed");
  for (const auto& part : parts)
    if (EVP_MAC_update(ctx, part.data(), part.size()) != 1) throw std::runtime_error("OpenSSL: HMAC update failed");
  Bytes32 out;
  std::size_t len = 0;
  if (EVP_MAC_final(ctx, out.data(), &len, out.size()) != 1 || len != 32)
    throw std::runtime_error("OpenSSL: HMAC final failed");
  return out;
}

}  // namespace marina::nostr
