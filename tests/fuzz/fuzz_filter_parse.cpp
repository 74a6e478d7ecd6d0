// Filter parsing: no crash, bounds hold, accepted filters round-trip, and
// matching against a few events never misbehaves.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.hpp"
#include "marina/nostr/filter.hpp"

using namespace marina::nostr;

namespace {

const std::vector<Event>& sample_events() {
  static const std::vector<Event> events = [] {
    std::vector<Event> v(3);
    v[0].kind = 1;
    v[0].created_at = 1700000000;
    v[0].tags = {{"t", "nostr"}, {"e", std::string(64, 'a')}, {"p"}};
    v[0].content = "Hello Nostr world";
    v[1].kind = 30023;
    v[1].tags = {{"d", "x"}, {"T", "X"}};
    v[2].kind = 65535;
    v[2].created_at = kMaxCreatedAt;
    v[2].id.bytes.fill(0xff);
    v[2].pubkey.bytes.fill(0x11);
    return v;
  }();
  return events;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  FilterLimits limits;
  limits.max_ids = limits.max_authors = limits.max_tag_values = 20;
  limits.max_limit = 100;
  auto f = parse_filter(text, limits);
  if (!f.ok()) {
    FUZZ_CHECK(!f.error().message.empty());
    return 0;
  }
  FUZZ_CHECK(!f->ids || (f->ids->size() <= 20 && std::is_sorted(f->ids->begin(), f->ids->end())));
  FUZZ_CHECK(!f->authors || f->authors->size() <= 20);
  FUZZ_CHECK(!f->limit || *f->limit <= 100);
  FUZZ_CHECK(f->tags.size() <= limits.max_tag_filters);
  auto again = parse_filter(filter_to_json(*f), limits);
  FUZZ_CHECK(again.ok() && *again == *f);
  for (const Event& e : sample_events()) {
    const bool m = f->matches(e);
    FUZZ_CHECK(!(m && f->matches_nothing()));
  }
  return 0;
}
