#pragma once
// The first stage: a stream entry becomes an Item with its contract decoded,
// its event parsed strictly (NIP-01) and its id and signature checked.
// Pure CPU, no I/O, no shared state: it runs on the verify threads.
#include <string>
#include <string_view>

#include "item.hpp"

namespace marina::relay_ingest {

// A broken entry (not an IngestRequest) gives an Item without request; an
// unparseable or forged event gives one refused with "invalid: ...".
Item decode(Delivery delivery);

// The `id` of an event that failed to parse, when its JSON still shows one
// (64 lowercase hex chars after "id":), so the client's OK can name it; "" otherwise.
std::string event_id_hint(std::string_view json);

}  // namespace marina::relay_ingest
