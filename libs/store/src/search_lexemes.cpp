#include "search_lexemes.hpp"

#include <algorithm>

#include "marina/core/ascii.hpp"

namespace marina::store::detail {

namespace {

// PostgreSQL refuses lexemes of 2 KiB or more (MAXSTRLEN).
constexpr std::size_t kMaxLexemeBytes = 2046;
// And a tsvector over 1 MiB (MAXSTRPOS); long contents keep their first words.
constexpr std::size_t kMaxTsvectorBytes = 1000000;

bool is_word_byte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

void append_u32(std::string& out, std::uint32_t v) {
  const char b[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
                     static_cast<char>(v)};
  out.append(b, 4);
}

}  // namespace

std::vector<std::string> search_lexemes(std::string_view text) {
  std::vector<std::string> words;
  std::size_t total = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && !is_word_byte(static_cast<unsigned char>(text[i]))) ++i;
    std::size_t j = i;
    while (j < text.size() && is_word_byte(static_cast<unsigned char>(text[j]))) ++j;
    if (j > i && j - i <= kMaxLexemeBytes) {
      std::string word = core::ascii_lower(text.substr(i, j - i));
      total += word.size() + 8;  // what the lexeme costs inside a tsvector, roughly
      if (total > kMaxTsvectorBytes) break;
      words.push_back(std::move(word));
    }
    i = j;
  }
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  return words;
}

std::string tsvector_binary(const std::vector<std::string>& lexemes) {
  std::string out;
  append_u32(out, static_cast<std::uint32_t>(lexemes.size()));
  for (const auto& lexeme : lexemes) {
    out += lexeme;
    out.push_back('\0');
    out.append(2, '\0');  // no positions
  }
  return out;
}

std::optional<std::string> search_tsquery(std::string_view query) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < query.size()) {
    while (i < query.size() && is_space(query[i])) ++i;
    std::size_t j = i;
    while (j < query.size() && !is_space(query[j])) ++j;
    const std::string_view token = query.substr(i, j - i);
    const auto colon = token.find(':');
    const bool extension = colon != std::string_view::npos && colon > 0 && colon + 1 < token.size();
    if (!extension) {
      for (auto& w : search_lexemes(token)) words.push_back(std::move(w));
    }
    i = j;
  }
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  if (words.empty()) return std::nullopt;
  // Words hold only letters, digits and non-ASCII bytes: nothing to escape
  // inside the quotes.
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "'" : " & '") + w + "'";
  return out;
}

}  // namespace marina::store::detail
