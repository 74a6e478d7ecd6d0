// Event parsing: no crash, and whatever is accepted round-trips.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.hpp"
#include "marina/nostr/event_parse.hpp"
#include "marina/nostr/serialize.hpp"

using namespace marina::nostr;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  // With the id check off, structurally valid mutations get deep.
  auto unchecked = parse_event(text, {.check_id = false});
  auto checked = parse_event(text);
  FUZZ_CHECK(!checked.ok() || unchecked.ok());
  (void)parse_rumor(text);

  if (unchecked.ok()) {
    const Event& e = *unchecked;
    FUZZ_CHECK(e.created_at >= 0 && e.created_at <= kMaxCreatedAt);
    FUZZ_CHECK(is_valid_utf8(e.content));
    for (const Tag& t : e.tags) FUZZ_CHECK(!t.empty());
    FUZZ_CHECK(checked.ok() == (compute_event_id(e) == e.id));
    // Our own JSON for the event parses back to the same fields.
    auto again = parse_event(event_to_json(e), {.check_id = false});
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(again->id == e.id && again->pubkey == e.pubkey && again->sig == e.sig);
    FUZZ_CHECK(again->created_at == e.created_at && again->kind == e.kind);
    FUZZ_CHECK(again->tags == e.tags && again->content == e.content);
    // raw is the trimmed input, and parses to the same event.
    auto from_raw = parse_event(e.raw, {.check_id = false});
    FUZZ_CHECK(from_raw.ok() && from_raw->raw == e.raw);
  }
  return 0;
}
