// NIP-98 Authorization header verification on arbitrary header values.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.hpp"
#include "marina/nostr/nip98.hpp"
#include "marina/nostr/sha256.hpp"

using namespace marina::nostr;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view header(reinterpret_cast<const char*>(data), size);
  // The seed tokens were made for this request at this time (see README.md).
  nip98::Request get{"GET", "https://api.marina.example/tenant/relays", std::nullopt, 1700000000};
  nip98::Request post{"POST", "https://api.marina.example/tenant/relays", sha256(std::string_view("{}")), 1700000000};
  for (const auto& req : {get, post}) {
    auto r = nip98::verify(header, req);
    if (r.ok()) {
      FUZZ_CHECK(r->created_at >= req.now - 60 && r->created_at <= req.now + 60);
    } else {
      FUZZ_CHECK(!nip98::to_string(r.error()).empty());
    }
  }
  return 0;
}
