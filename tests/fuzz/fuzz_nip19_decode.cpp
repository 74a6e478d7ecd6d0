// NIP-19 bech32 decoding: no crash, and decoded entities re-encode.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.hpp"
#include "marina/nostr/nip19.hpp"

using namespace marina::nostr;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto d = nip19::bech32_decode(text); d.ok()) {
    // Encoding is canonical lowercase; decoding that gives the same data.
    auto again = nip19::bech32_decode(nip19::bech32_encode(d->prefix, d->data));
    FUZZ_CHECK(again.ok() && again->prefix == d->prefix && again->data == d->data);
  }
  if (auto pk = nip19::decode_npub(text); pk.ok()) FUZZ_CHECK(nip19::decode_npub(nip19::encode_npub(*pk)).ok());
  if (auto p = nip19::decode_nprofile(text); p.ok()) {
    bool short_relays = true;
    for (const auto& r : p->relays) short_relays &= r.size() <= 255;
    FUZZ_CHECK(short_relays);
    FUZZ_CHECK(nip19::decode_nprofile(nip19::encode_nprofile(*p)).value().pubkey == p->pubkey);
  }
  if (auto e = nip19::decode_nevent(text); e.ok()) {
    auto again = nip19::decode_nevent(nip19::encode_nevent(*e));
    FUZZ_CHECK(again.ok() && again->id == e->id && again->kind == e->kind && again->author == e->author);
  }
  (void)nip19::decode_nsec(text);
  (void)nip19::decode_note(text);
  return 0;
}
