#pragma once
// Relay ids are PostgreSQL uuids; callers hand them over as text.
#include <optional>
#include <string>
#include <string_view>

namespace marina::store::detail {

// The canonical text of a uuid (8-4-4-4-12 lower-case hex), accepting either
// case; nullopt for anything else. Canonical text is what the write path
// groups and locks by, so two spellings of one relay cannot race each other.
std::optional<std::string> canonical_uuid(std::string_view text);

}  // namespace marina::store::detail
