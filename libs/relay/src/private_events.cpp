#include "marina/relay/private_events.hpp"

#include <algorithm>
#include <iterator>
#include <string>

namespace marina::relay {

namespace {

bool is_reader(const nostr::PublicKey& key, std::span<const nostr::PublicKey> readers) noexcept {
  return std::binary_search(readers.begin(), readers.end(), key);
}

bool names_private_kind(const nostr::Filter& f) noexcept {
  return !f.kinds || std::any_of(f.kinds->begin(), f.kinds->end(), is_private_kind);
}

std::vector<std::string> hex_of(std::span<const nostr::PublicKey> readers) {
  std::vector<std::string> out;
  out.reserve(readers.size());
  for (const auto& r : readers) out.push_back(r.hex());
  return out;  // sorted: hex keeps the byte order
}

// Sets (or replaces) the `#p` condition, keeping tags sorted by letter.
void set_p_tag(nostr::Filter& f, std::vector<std::string> values) {
  auto it = std::find_if(f.tags.begin(), f.tags.end(), [](const nostr::TagCondition& t) { return t.letter >= 'p'; });
  if (it != f.tags.end() && it->letter == 'p') {
    it->values = std::move(values);
  } else {
    f.tags.insert(it, nostr::TagCondition{'p', std::move(values)});
  }
}

template <typename T>
std::vector<T> intersection(const std::vector<T>& a, const std::vector<T>& b) {
  std::vector<T> out;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

template <typename T>
bool subset(const std::vector<T>& a, const std::vector<T>& b) {
  return std::includes(b.begin(), b.end(), a.begin(), a.end());
}

// `f` narrowed to the private kinds `kinds`, restricted to what readers may read.
void add_readable_private(const nostr::Filter& f, std::vector<nostr::Kind> kinds,
                          std::span<const nostr::PublicKey> readers, const std::vector<std::string>& reader_hex,
                          std::vector<nostr::Filter>& out) {
  if (readers.empty() || kinds.empty()) return;
  nostr::Filter g = f;
  g.kinds = std::move(kinds);
  const std::vector<nostr::PublicKey> reader_list(readers.begin(), readers.end());
  const nostr::TagCondition* p = f.tag('p');
  if ((f.authors && subset(*f.authors, reader_list)) || (p && subset(p->values, reader_hex))) {
    out.push_back(std::move(g));  // every event it matches is readable already
    return;
  }
  nostr::Filter by_author = g;
  by_author.authors = f.authors ? intersection(*f.authors, reader_list) : reader_list;
  if (!by_author.authors->empty()) out.push_back(std::move(by_author));
  std::vector<std::string> recipients = p ? intersection(p->values, reader_hex) : reader_hex;
  if (!recipients.empty()) {
    set_p_tag(g, std::move(recipients));
    out.push_back(std::move(g));
  }
}

}  // namespace

bool readable_by(const nostr::Event& event, std::span<const nostr::PublicKey> readers) noexcept {
  if (!is_private_kind(event.kind)) return true;
  if (readers.empty()) return false;
  if (is_reader(event.pubkey, readers)) return true;
  for (const auto& tag : event.tags) {
    if (tag.size() < 2 || tag[0] != "p") continue;
    const auto key = nostr::PublicKey::from_hex(tag[1]);
    if (key && is_reader(*key, readers)) return true;
  }
  return false;
}

bool may_match_private(const std::vector<nostr::Filter>& filters) noexcept {
  return std::any_of(filters.begin(), filters.end(), names_private_kind);
}

bool asks_only_private(const std::vector<nostr::Filter>& filters) noexcept {
  return std::any_of(filters.begin(), filters.end(), [](const nostr::Filter& f) {
    return f.kinds && !f.kinds->empty() && std::all_of(f.kinds->begin(), f.kinds->end(), is_private_kind);
  });
}

ReadableFilters readable_filters(const std::vector<nostr::Filter>& filters,
                                 std::span<const nostr::PublicKey> readers) {
  ReadableFilters out;
  const std::vector<std::string> reader_hex = hex_of(readers);
  for (const nostr::Filter& f : filters) {
    if (!f.kinds) {
      out.unkinded = true;
      out.filters.push_back(f);
      continue;
    }
    if (!names_private_kind(f)) {
      out.filters.push_back(f);
      continue;
    }
    std::vector<nostr::Kind> open, closed;
    for (nostr::Kind k : *f.kinds) (is_private_kind(k) ? closed : open).push_back(k);
    if (!open.empty()) {
      nostr::Filter g = f;
      g.kinds = std::move(open);
      out.filters.push_back(std::move(g));
    }
    add_readable_private(f, std::move(closed), readers, reader_hex, out.filters);
  }
  return out;
}

std::vector<nostr::Filter> unkinded_private_part(const std::vector<nostr::Filter>& filters) {
  std::vector<nostr::Filter> out;
  for (const nostr::Filter& f : filters) {
    if (f.kinds) continue;
    nostr::Filter g = f;
    g.kinds = std::vector<nostr::Kind>(std::begin(kPrivateKinds), std::end(kPrivateKinds));
    out.push_back(std::move(g));
  }
  return out;
}

}  // namespace marina::relay
