#include "write_plan.hpp"

#include <algorithm>
#include <unordered_set>

#include "event_rules.hpp"
#include "marina/nostr/nip40.hpp"

namespace marina::store::detail {

namespace {

template <class T>
void push_unique(std::vector<T>& out, std::unordered_set<T>& seen, const T& value) {
  if (seen.insert(value).second) out.push_back(value);
}

// Raises map[key] to at least `value`.
template <class Map, class Key>
void raise(Map& map, const Key& key, std::int64_t value) {
  auto [it, inserted] = map.try_emplace(key, value);
  if (!inserted) it->second = std::max(it->second, value);
}

// Where the version currently kept at an address lives.
struct Current {
  StoredEvent event;
  std::optional<std::size_t> position;  // in the batch; nullopt when stored before it
};

// The batch replayed in order. Each step reads the prior state through the
// overlays the earlier steps left, exactly as if each request were its own
// transaction.
class Replay {
 public:
  Replay(std::span<const WriteRequest* const> batch, const PriorState& prior, std::int64_t now)
      : batch_(batch), prior_(prior), now_(now), inserting_(batch.size(), false) {
    for (const auto& [address, stored] : prior.current) current_.emplace(address, Current{stored, std::nullopt});
    plan_.results.resize(batch.size());
  }

  WritePlan run() {
    for (std::size_t i = 0; i < batch_.size(); ++i) apply(i);
    for (std::size_t i = 0; i < batch_.size(); ++i)
      if (inserting_[i]) plan_.inserts.push_back(i);
    for (const auto& entry : address_deletions_) plan_.address_deletions.emplace_back(entry);
    for (const auto& entry : vanishes_) plan_.vanishes.emplace_back(entry);
    return std::move(plan_);
  }

 private:
  const nostr::Event& event(std::size_t i) const { return batch_[i]->event; }

  void apply(std::size_t i) {
    const nostr::Event& e = event(i);
    WriteResult& result = plan_.results[i];
    if (e.kind_class() == nostr::KindClass::ephemeral) return refuse(result, message::ephemeral);
    if (batch_[i]->nip40 == Nip40::refuse_expired && nostr::nip40::is_expired(e, now_))
      return refuse(result, message::expired);
    const auto address = address_of(e);
    if (address && address->d.find('\0') != std::string::npos) return refuse(result, message::nul_in_d);

    if (!is_undeletable(e.kind) && id_deleted(e)) return refuse(result, message::deleted);
    if (address && address_deleted(*address, e.created_at)) return refuse(result, message::deleted);
    if (e.kind != kVanishKind && vanished_before(e.pubkey, e.created_at)) return refuse(result, message::vanished);
    if (e.kind == kGiftWrapKind) {
      for (const auto& recipient : gift_wrap_recipients(e))
        if (vanished_before(recipient, e.created_at)) return refuse(result, message::recipient_vanished);
    }
    if (is_stored(e.id)) {
      keep(result, message::duplicate);
      result.already_stored = true;
      return;
    }

    auto replaced = address ? current_.find(*address) : current_.end();
    if (replaced != current_.end()) {
      const StoredEvent& kept = replaced->second.event;
      // NIP-01: the newest stays; on equal created_at, the lowest id.
      if (kept.created_at > e.created_at || (kept.created_at == e.created_at && kept.id < e.id))
        return keep(result, message::replaced);
    }
    const bool adds_one = replaced == current_.end() && e.kind != kDeletionKind && e.kind != kVanishKind;
    if (adds_one && batch_[i]->plan && prior_.stored_count + net_ >= batch_[i]->plan->max_stored_events) {
      result = WriteResult{false, message::plan_full(*batch_[i]->plan), false};
      return;
    }
    if (replaced != current_.end()) remove(replaced->second.event.id, replaced->second.position);
    if (address) current_[*address] = Current{StoredEvent{e.id, e.pubkey, e.kind, e.created_at}, i};

    result = WriteResult{true, "", true};
    inserting_[i] = true;
    ++net_;
    batch_ids_.emplace(e.id, i);

    if (e.kind == kDeletionKind) apply_deletion(i);
    if (asks_to_vanish_here(e, batch_[i]->relay_url)) apply_vanish(i);
  }

  static void refuse(WriteResult& result, const char* message) { result = WriteResult{false, message, false}; }
  static void keep(WriteResult& result, const char* message) { result = WriteResult{true, message, false}; }

  bool id_deleted(const nostr::Event& e) const {
    if (auto it = prior_.deleted_ids.find(e.id); it != prior_.deleted_ids.end()) {
      if (std::find(it->second.begin(), it->second.end(), e.pubkey) != it->second.end()) return true;
    }
    return tombstoned_.contains({e.id, e.pubkey});
  }

  bool address_deleted(const Address& address, std::int64_t created_at) const {
    auto until = [&](const auto& map) -> std::optional<std::int64_t> {
      auto it = map.find(address);
      if (it == map.end()) return std::nullopt;
      return it->second;
    };
    const auto before = until(prior_.deleted_addresses);
    const auto now = until(address_deletions_);
    return (before && created_at <= *before) || (now && created_at <= *now);
  }

  bool vanished_before(const nostr::PublicKey& pubkey, std::int64_t created_at) const {
    if (auto it = prior_.vanished.find(pubkey); it != prior_.vanished.end() && created_at <= it->second) return true;
    if (auto it = vanishes_.find(pubkey); it != vanishes_.end() && created_at <= it->second) return true;
    return false;
  }

  bool is_stored(const nostr::EventId& id) const {
    if (batch_ids_.contains(id)) return true;
    return prior_.stored.contains(id) && !removed_.contains(id);
  }

  // Takes a stored or batch event away: a batch event is simply not
  // inserted; a stored one is deleted.
  void remove(const nostr::EventId& id, std::optional<std::size_t> position) {
    if (position) {
      if (inserting_[*position]) --net_;
      inserting_[*position] = false;
      batch_ids_.erase(id);
    } else if (removed_.insert(id).second) {
      --net_;
      plan_.delete_ids.push_back(id);
    }
  }

  // Forgets the kept version at `address` if it is `id`.
  void forget_current_if(const std::optional<Address>& address, const nostr::EventId& id) {
    if (!address) return;
    auto it = current_.find(*address);
    if (it != current_.end() && it->second.event.id == id) current_.erase(it);
  }

  void apply_deletion(std::size_t i) {
    const nostr::Event& deletion = event(i);
    const DeletionTargets targets = deletion_targets(deletion);
    for (const nostr::EventId& id : targets.ids) {
      if (!tombstoned_.contains({id, deletion.pubkey})) {
        tombstoned_.insert({id, deletion.pubkey});
        plan_.id_tombstones.emplace_back(id, deletion.pubkey);
      }
      if (auto it = batch_ids_.find(id); it != batch_ids_.end()) {
        const nostr::Event& target = event(it->second);
        if (target.pubkey != deletion.pubkey || is_undeletable(target.kind)) continue;
        forget_current_if(address_of(target), id);
        remove(id, it->second);
      } else if (auto found = prior_.stored.find(id); found != prior_.stored.end() && !removed_.contains(id)) {
        const StoredEvent& target = found->second;
        if (target.pubkey != deletion.pubkey || is_undeletable(target.kind)) continue;
        for (auto c = current_.begin(); c != current_.end(); ++c) {
          if (c->second.event.id == id) {
            current_.erase(c);
            break;
          }
        }
        remove(id, std::nullopt);
      }
    }
    for (const Address& address : targets.addresses) {
      raise(address_deletions_, address, deletion.created_at);
      // Batch versions at the address up to the deletion go too; stored
      // ones go with the set-based delete of address_deletions.
      for (std::size_t j = 0; j < i; ++j) {
        if (!inserting_[j]) continue;
        const nostr::Event& e = event(j);
        if (e.created_at <= deletion.created_at && address_of(e) == address) remove(e.id, j);
      }
      auto it = current_.find(address);
      if (it != current_.end() && it->second.event.created_at <= deletion.created_at) current_.erase(it);
    }
  }

  void apply_vanish(std::size_t i) {
    const nostr::Event& request = event(i);
    const std::int64_t until = request.created_at;
    raise(vanishes_, request.pubkey, until);
    for (std::size_t j = 0; j < i; ++j) {
      if (!inserting_[j]) continue;
      const nostr::Event& e = event(j);
      if (e.created_at > until || e.kind == kVanishKind) continue;
      bool goes = e.pubkey == request.pubkey;
      if (!goes && e.kind == kGiftWrapKind) {
        const auto recipients = gift_wrap_recipients(e);
        goes = std::find(recipients.begin(), recipients.end(), request.pubkey) != recipients.end();
      }
      if (goes) remove(e.id, j);
    }
    std::erase_if(current_, [&](const auto& entry) {
      return entry.second.event.pubkey == request.pubkey && entry.second.event.created_at <= until;
    });
  }

  struct TombstoneHash {
    std::size_t operator()(const std::pair<nostr::EventId, nostr::PublicKey>& p) const noexcept {
      return std::hash<nostr::EventId>{}(p.first) ^ (std::hash<nostr::PublicKey>{}(p.second) << 1);
    }
  };

  std::span<const WriteRequest* const> batch_;
  const PriorState& prior_;
  std::int64_t now_;
  WritePlan plan_;
  std::vector<bool> inserting_;
  // Events this batch has added to the relay so far, minus those it deleted
  // one by one (set-based deletions by address or vanish are not counted
  // here, so the cap errs on the side of refusing until they commit).
  std::int64_t net_ = 0;
  std::unordered_map<nostr::EventId, std::size_t> batch_ids_;  // batch events stored so far
  std::unordered_set<nostr::EventId> removed_;                 // stored events deleted so far
  std::unordered_map<Address, Current, AddressHash> current_;
  std::unordered_set<std::pair<nostr::EventId, nostr::PublicKey>, TombstoneHash> tombstoned_;
  std::unordered_map<Address, std::int64_t, AddressHash> address_deletions_;
  std::unordered_map<nostr::PublicKey, std::int64_t> vanishes_;
};

}  // namespace

LookupKeys lookup_keys(std::span<const WriteRequest* const> batch) {
  LookupKeys keys;
  std::unordered_set<nostr::EventId> ids;
  std::unordered_set<nostr::PublicKey> pubkeys;
  std::unordered_set<Address, AddressHash> addresses;
  for (const WriteRequest* request : batch) {
    const nostr::Event& e = request->event;
    push_unique(keys.ids, ids, e.id);
    push_unique(keys.pubkeys, pubkeys, e.pubkey);
    if (auto address = address_of(e); address && address->d.find('\0') == std::string::npos) {
      if (addresses.insert(*address).second) keys.addresses.push_back(std::move(*address));
    }
    if (e.kind == kDeletionKind) {
      for (const auto& id : deletion_targets(e).ids) push_unique(keys.ids, ids, id);
    } else if (e.kind == kGiftWrapKind) {
      for (const auto& recipient : gift_wrap_recipients(e)) push_unique(keys.pubkeys, pubkeys, recipient);
    }
  }
  return keys;
}

std::string message::plan_full(const relay::PlanLimits& plan) {
  return "blocked: this relay's plan (" + plan.name + ") stores at most " + std::to_string(plan.max_stored_events) +
         " events";
}

WritePlan plan_writes(std::span<const WriteRequest* const> batch, const PriorState& prior, std::int64_t now) {
  return Replay(batch, prior, now).run();
}

}  // namespace marina::store::detail
