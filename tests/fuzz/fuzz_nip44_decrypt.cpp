// NIP-44 decryption of arbitrary payloads: no crash, and anything that
// decrypts re-encrypts (same key and nonce) to the same payload.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.hpp"
#include "marina/nostr/base64.hpp"
#include "marina/nostr/nip44.hpp"

using namespace marina::nostr;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The first 32 bytes are the conversation key when there are enough;
  // otherwise the key of the official vectors' first case, so seeds taken
  // from the vector file decrypt.
  nip44::ConversationKey key =
      *Bytes32::from_hex("c41c775356fd92eadc63ff5a0dc1da211b268cbea22316767095b2871ea1412d");
  std::string_view payload(reinterpret_cast<const char*>(data), size);
  if (size > 0 && data[0] == 'K' && size >= 33) {
    std::copy(data + 1, data + 33, key.bytes.begin());
    payload.remove_prefix(33);
  }
  for (const nip44::Limits limits : {nip44::Limits{}, nip44::Limits{.max_plaintext_bytes = 1 << 20}}) {
    auto plaintext = nip44::decrypt(payload, key, limits);
    if (!plaintext.ok()) continue;
    FUZZ_CHECK(!plaintext->empty());
    const auto raw = base64_decode(payload);
    FUZZ_CHECK(raw && raw->size() >= 99);
    Bytes32 nonce;
    std::copy(raw->begin() + 1, raw->begin() + 33, nonce.bytes.begin());
    auto again = nip44::encrypt(*plaintext, key, nonce, limits);
    FUZZ_CHECK(again.ok() && *again == payload);
  }
  return 0;
}
