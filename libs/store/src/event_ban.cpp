// EventStore::ban and unban: a relay admin's removal of one event (NIP-86),
// kept out by the same tombstone a NIP-09 deletion leaves.
#include <pqxx/pqxx>

#include "marina/nostr/hex.hpp"
#include "marina/pg/pool.hpp"
#include "marina/store/event_store.hpp"
#include "tag_rows.hpp"
#include "uuid.hpp"
#include "write_batch.hpp"

namespace marina::store {

namespace {

bool is_event_id(const std::string& hex) {
  return hex.size() == 64 && nostr::hex_decode(hex).has_value() &&
         hex.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

boost::asio::awaitable<std::optional<std::string>> EventStore::ban(const std::string& relay_id,
                                                                   const std::string& id_hex) {
  const auto relay = detail::canonical_uuid(relay_id);
  if (!relay || !is_event_id(id_hex)) co_return std::nullopt;
  auto job = [&](pqxx::work& tx) -> std::optional<std::string> {
    detail::lock_relay_writes(tx, *relay);
    const pqxx::result gone = tx.exec_params(
        "DELETE FROM events WHERE relay_id = $1::uuid AND id = decode($2, 'hex') "
        "RETURNING relay_id::text, raw, encode(pubkey, 'hex')",
        *relay, id_hex);
    if (gone.empty()) return std::nullopt;
    detail::delete_tag_rows(tx, detail::deleted_events_of(gone, 0, 1));
    std::string author = gone[0][2].as<std::string>();
    tx.exec_params(
        "INSERT INTO deleted_events (relay_id, id, pubkey) VALUES ($1::uuid, decode($2, 'hex'), decode($3, 'hex')) "
        "ON CONFLICT DO NOTHING",
        *relay, id_hex, author);
    return author;
  };
  co_return co_await pool_.transaction(job);
}

boost::asio::awaitable<bool> EventStore::unban(const std::string& relay_id, const std::string& id_hex,
                                               const std::string& author_hex) {
  const auto relay = detail::canonical_uuid(relay_id);
  if (!relay || !is_event_id(id_hex) || !is_event_id(author_hex)) co_return false;
  auto job = [&](pqxx::work& tx) {
    detail::lock_relay_writes(tx, *relay);
    const auto r = tx.exec_params(
        "DELETE FROM deleted_events WHERE relay_id = $1::uuid AND id = decode($2, 'hex') AND pubkey = decode($3, 'hex')",
        *relay, id_hex, author_hex);
    return r.affected_rows() > 0;
  };
  co_return co_await pool_.transaction(job);
}

}  // namespace marina::store
