#pragma once
// NIP-50 words, as both sides of a search see them.
//
// Content is split into words here, in the writer, and stored as a
// position-less tsvector; queries are split the same way and sent as a
// tsquery of those words. One tokenizer on both sides keeps them agreeing,
// and it is much cheaper than PostgreSQL's text-search parser (to_tsvector
// was a fifth of the server's cost per event), which also leaves that work
// with the horizontally scaled writers instead of the database.
//
// A word is a maximal run of ASCII letters and digits and non-ASCII
// characters (so "Señor", "日本語" and "v2" are words; punctuation, spaces and
// symbols separate), ASCII letters lower-cased: what PostgreSQL's `simple`
// configuration does in a C-locale database, minus its special tokens (URLs,
// e-mail addresses, hyphenated compounds), which are split into their words.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>


namespace marina::store::detail {

// The distinct words of `text`, sorted (byte order, as tsvector keeps them).
// Words longer than PostgreSQL's lexeme limit are left out.
std::vector<std::string> search_lexemes(std::string_view text);

// A tsvector's binary wire form (tsvectorrecv) holding `lexemes` (sorted,
// distinct) without positions.
std::string tsvector_binary(const std::vector<std::string>& lexemes);

// A tsquery requiring every word of a NIP-50 query (extensions `key:value`
// dropped, as live matching does): "'best' & 'nostr'"; nullopt when no word
// is left, and then the filter has no search condition.
std::optional<std::string> search_tsquery(std::string_view query);

}  // namespace marina::store::detail
