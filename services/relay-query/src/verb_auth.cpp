// AUTH (NIP-42) and everything that depends on who authenticated: the
// challenge, the AUTH verb, the `auth-required:` gates of REQ, COUNT and
// EVENT (nip42_auth_required, nip42_auth_required_kinds), and who may read a
// direct message (libs/relay private_events.hpp). The words are libs/relay's
// (auth_words.hpp), shared with relay-ingest.
#include <algorithm>

#include "marina/core/clock.hpp"
#include "marina/nostr/nip42.hpp"
#include "marina/nostr/relay_message.hpp"
#include "marina/relay/auth_words.hpp"
#include "marina/store/relay_directory.hpp"
#include "session.hpp"

namespace marina::relay_query {

namespace {

std::chrono::seconds challenge_timeout(const relay::RelayConfig& config) {
  return std::chrono::seconds(config.nip42_challenge_timeout);
}

}  // namespace

void Session::send_challenge() { send(nostr::relay_auth(auth_.issue(Clock::now()))); }

void Session::renew_expired_challenge(const relay::RelayConfig& config) {
  if (auth_.expired(Clock::now(), challenge_timeout(config))) send_challenge();
}

void Session::on_auth(const nostr::AuthMessage& message) {
  const AuthOutcome outcome = auth_.check(message.event, relay_urls_, core::unix_seconds(), Clock::now(),
                                          challenge_timeout(config()));
  ctx_.probe.auth(outcome.result);
  // The new challenge goes first, so a client acting on the refusal has it.
  if (outcome.result == AuthResult::expired) send_challenge();
  send(nostr::relay_ok(message.event.id, outcome.result == AuthResult::accepted, outcome.message));
  if (outcome.result != AuthResult::accepted) return;
  std::lock_guard lock(readers_mu_);
  readers_ = auth_.pubkeys();
}

bool Session::may_read(const nostr::Event& private_event) const {
  std::lock_guard lock(readers_mu_);
  return relay::readable_by(private_event, readers_);
}

std::optional<std::string_view> Session::read_refusal(const std::vector<nostr::Filter>& filters) {
  if (auth_.authenticated()) return std::nullopt;
  std::optional<std::string_view> why;
  if (config().nip42_auth_required) {
    why = relay::kAuthRequiredToRead;
  } else if (relay::asks_only_private(filters)) {
    why = relay::kPrivateKindsNeedAuth;
  }
  // NIP-42: a client told to authenticate must hold a valid challenge.
  if (why) renew_expired_challenge(config());
  return why;
}

std::optional<Session::Refusal> Session::publish_refusal(const relay::RelayConfig& config, const nostr::Event& event) {
  if (event.kind == nostr::nip42::kKind) return Refusal{OkResult::invalid, std::string(relay::kAuthEventNotPublishable)};
  if (auth_.authenticated()) return std::nullopt;
  std::optional<Refusal> why;
  if (config.nip42_auth_required) {
    why = Refusal{OkResult::auth_required, std::string(relay::kAuthRequiredToPublish)};
  } else if (config.kind_requires_auth(event.kind)) {
    why = Refusal{OkResult::auth_required, relay::kind_requires_auth_refusal(event.kind)};
  }
  if (why) renew_expired_challenge(config);
  return why;
}

relay::ReadableFilters Session::readable(const std::vector<nostr::Filter>& filters) const {
  return relay::readable_filters(filters, auth_.pubkeys());
}

}  // namespace marina::relay_query
