#include "admin_executor.hpp"

#include <algorithm>
#include <boost/system/system_error.hpp>

#include "marina/asio/retry.hpp"
#include "marina/core/backoff.hpp"
#include "marina/core/clock.hpp"
#include "marina/core/exception.hpp"
#include "marina/core/log.hpp"
#include "marina/http/error.hpp"
#include "marina/metrics/registry.hpp"
#include "marina/nostr/event_parse.hpp"
#include "marina/nostr/event_sign.hpp"
#include "marina/nostr/nip44.hpp"
#include "marina/pg/errors.hpp"
#include "marina/pg/pool.hpp"
#include "marina/redis/client.hpp"
#include "marina/relay/config_value.hpp"
#include "repository.hpp"
#include "sealed_secret.hpp"

namespace marina::tenants::admin {

namespace {

inline constexpr nostr::Kind kResponseKind = 23457;
inline constexpr int kPublishAttempts = 5;

// What a failure inside a command means to the admin. The database's own
// words are not passed on (they may name tables and internals); the log has them.
nlohmann::json error_for(const std::exception_ptr& failure, const Command& command, std::int64_t now_s,
                         const std::string& relay_id) {
  const std::string& q = command.name;
  try {
    std::rethrow_exception(failure);
  } catch (const CommandError& e) {
    return error_response(q, e.code(), e.what(), now_s);
  } catch (const relay::ConfigInvalid& e) {
    return error_response(q, ErrorCode::validation_failed, e.what(), now_s);
  } catch (const http::Error& e) {
    // Policy's problems: a suspended owner or relay is not the admin's to change.
    const bool refused = e.code() == "tenant-suspended" || e.code() == "relay-suspended";
    return error_response(q, refused ? ErrorCode::unauthorized : ErrorCode::validation_failed,
                          e.detail().empty() ? e.title() : e.detail(), now_s);
  } catch (const pg::Timeout& e) {
    log::warn("an admin command timed out", {{"relay", relay_id}, {"command", q}, {"error", e.what()}});
    return error_response(q, ErrorCode::timeout, "the command took longer than the relay allows; nothing was changed",
                          now_s);
  } catch (const pg::Error& e) {
    log::error("an admin command failed in the database", {{"relay", relay_id}, {"command", q}, {"error", e.what()}});
    return error_response(q, ErrorCode::database_error, "the database could not complete the command", now_s);
  } catch (const redis::Error& e) {
    log::error("an admin command failed in Redis", {{"relay", relay_id}, {"command", q}, {"error", e.what()}});
    return error_response(q, ErrorCode::database_error, "the platform could not complete the command", now_s);
  } catch (const boost::system::system_error&) {
    throw;  // cancellation (the service stopping): the entry stays pending
  } catch (const std::exception& e) {
    log::error("an admin command failed", {{"relay", relay_id}, {"command", q}, {"error", e.what()}});
    return error_response(q, ErrorCode::database_error, "the command could not be completed", now_s);
  }
}

// The command's name for an error's query_type, as the seed's error format
// has it, when the plaintext names one; "unknown" otherwise.
std::string name_in(const std::string& plaintext) {
  try {
    return parse_command(plaintext).name;
  } catch (const CommandError&) {
    return "unknown";
  }
}

// "success" or the error code, for the activity log and the metrics.
std::string result_of(const nlohmann::json& response) {
  if (response.value("status", "") == "error") return response.value("error_code", "error");
  return "success";
}

}  // namespace

Executor::Executor(CommandEnv env, CommandTable table, redis::Client& redis, ExecutorSettings settings,
                   metrics::Registry& registry)
    : env_(env),
      table_(std::move(table)),
      redis_(redis),
      settings_(std::move(settings)),
      outcomes_(registry.counter("marina_tenants_admin_commands_total",
                                 "Admin commands over Nostr (kind 23456), by outcome: success, an error code, "
                                 "replay, not_admin, dropped.",
                                 {"outcome"})) {}

boost::asio::awaitable<void> Executor::handle(const streams::AdminRequest& request) {
  auto parsed = nostr::parse_event(request.event_json);
  if (!parsed || !nostr::verify_signature(*parsed)) {
    log::warn("dropped an admin command that is not a validly signed event", {{"relay", request.relay_id}});
    outcomes_.with({"dropped"}).inc();
    co_return;
  }
  const nostr::Event& event = *parsed;
  const std::string request_id = event.id_hex();
  const std::string sender = event.pubkey_hex();
  const std::string relay_id = request.relay_id;

  struct Loaded {
    std::optional<AdminRelay> relay;
    bool first = false;
  };
  const Loaded loaded = co_await env_.db.transaction([&](pqxx::work& tx) {
    Loaded out;
    out.relay = load_admin_relay(tx, relay_id);
    if (out.relay) out.first = claim_request(tx, relay_id, request_id, sender);
    return out;
  });
  if (!loaded.relay) {
    log::warn("dropped an admin command for an unknown relay", {{"relay", relay_id}, {"request", request_id}});
    outcomes_.with({"dropped"}).inc();
    co_return;
  }
  if (!loaded.first) {
    log::info("admin command replayed; not executed again", {{"relay", relay_id}, {"request", request_id}});
    outcomes_.with({"replay"}).inc();
    co_return;
  }
  const AdminRelay& relay = *loaded.relay;

  const auto opened = open_sealed(settings_.master_key, relay.sealed_secret);
  const auto secret = opened ? nostr::SecretKey::from_bytes(std::span(
                                   reinterpret_cast<const std::uint8_t*>(opened->data()), opened->size()))
                             : std::nullopt;
  if (!secret) {
    log::error("cannot open the relay's secret key; admin command dropped", {{"relay", relay_id}});
    outcomes_.with({"dropped"}).inc();
    co_return;
  }
  const auto conversation = nostr::nip44::conversation_key(*secret, event.pubkey);
  if (!conversation) {  // a verified signature implies a valid key: a bug if it happens
    log::error("no conversation key with an admin command's sender", {{"relay", relay_id}, {"request", request_id}});
    outcomes_.with({"dropped"}).inc();
    co_return;
  }
  const auto plaintext = nostr::nip44::decrypt(event.content, *conversation);

  const bool owner = sender == relay.relay.tenant_pubkey;
  const bool named = std::find(relay.admin_pubkeys.begin(), relay.admin_pubkeys.end(), sender) !=
                     relay.admin_pubkeys.end();
  const std::int64_t now_s = core::unix_seconds();

  nlohmann::json response;
  std::optional<Actor> actor;
  std::string command_name = "unknown";
  if (!owner && !named) {
    if (!plaintext) {
      log::info("dropped an admin command from a non-admin", {{"relay", relay_id}, {"request", request_id}});
      outcomes_.with({"dropped"}).inc();
      co_return;
    }
    log::info("refused an admin command from a non-admin", {{"relay", relay_id}, {"sender", sender}});
    outcomes_.with({"not_admin"}).inc();
    response = error_response(name_in(*plaintext), ErrorCode::unauthorized, "this key is not an admin of this relay",
                              now_s);
  } else {
    actor = owner ? Actor{sender, false, {}, "nostr"} : Actor{sender, false, relay.relay.tenant_pubkey, "nostr"};
    const std::int64_t oldest = now_s - static_cast<std::int64_t>(settings_.replay_retention.count());
    if (!plaintext) {
      response = error_response("unknown", ErrorCode::invalid_command,
                                "the content is not NIP-44 v2 encrypted to this relay's key (" +
                                    std::string(nostr::nip44::to_string(plaintext.error())) + ")",
                                now_s);
    } else if (event.created_at < oldest) {
      command_name = name_in(*plaintext);
      response = error_response(command_name, ErrorCode::validation_failed,
                                "the command's created_at is older than the relay accepts (" +
                                    std::to_string(settings_.replay_retention.count()) + " seconds)",
                                now_s);
    } else {
      try {
        const Command command = parse_command(*plaintext);
        command_name = command.name;
        response = co_await run(relay, *actor, command, now_s, request_id);
      } catch (const CommandError& e) {
        response = error_response("unknown", e.code(), e.what(), now_s);
      }
    }
  }

  const std::string result = result_of(response);
  const std::string body = serialize_bounded(std::move(response), nostr::nip44::kMaxCompactPlaintext);
  auto encrypted = nostr::nip44::encrypt(body, *conversation);
  if (!encrypted) throw std::logic_error("admin response encryption failed: " +
                                         std::string(nostr::nip44::to_string(encrypted.error())));
  nostr::EventTemplate answer{now_s, kResponseKind, {{"p", sender}, {"e", request_id}}, std::move(*encrypted)};
  const nostr::Event signed_answer = nostr::sign(answer, *secret);
  const streams::AcceptedEvent published{relay_id, signed_answer.raw};
  // Retried here a few times: once the guard row exists, a re-delivery of
  // this entry is a replay and would not answer again.
  int attempts = 0;
  core::Backoff backoff(std::chrono::milliseconds(100), std::chrono::seconds(2));
  auto publish = [&]() -> boost::asio::awaitable<void> {
    const redis::Fields fields = published.encode();
    co_await redis_.xadd(streams::kEventsStream, fields, {.maxlen = settings_.events_maxlen});
  };
  auto retry_after = [&](const std::exception_ptr& failure) {
    log::warn("publishing an admin answer failed", {{"relay", relay_id}, {"error", core::describe(failure)}});
    return ++attempts < kPublishAttempts;
  };
  co_await coro::retry(backoff, publish, retry_after);

  if (actor) {
    outcomes_.with({result}).inc();
    nlohmann::json details = {{"via", "nostr"}, {"request_id", request_id}, {"command", command_name},
                              {"result", result}};
    const Relay row = relay.relay;
    const Actor who = *actor;
    // The answer is out: a failure here is logged, not retried (a retry
    // would meet the replay guard and do nothing).
    bool recorded = true;
    try {
      co_await env_.db.transaction([&](pqxx::work& tx) {
        repo::record_activity(tx, row, who, "admin_command", details.dump(),
                              result == "success" ? "ok" : "error: " + result);
      });
    } catch (const pg::Error& e) {
      recorded = false;
      log::error("could not record an admin command in the activity log",
                 {{"relay", relay_id}, {"request", request_id}, {"error", e.what()}});
    }
    if (!recorded) outcomes_.with({"unrecorded"}).inc();
  }
  log::info("admin command answered", {{"relay", relay_id}, {"request", request_id}, {"command", command_name},
                                       {"result", result}});
}

boost::asio::awaitable<nlohmann::json> Executor::run(const AdminRelay& relay, const Actor& actor,
                                                     const Command& command, std::int64_t now_s,
                                                     std::string_view request_id) {
  const Handler* handler = table_.find(command.name);
  if (!handler) {
    co_return error_response(command.name, ErrorCode::invalid_command,
                             "unknown command '" + command.name.substr(0, 100) + "'", now_s);
  }
  std::exception_ptr failure;
  try {
    const CommandCall call{relay, actor, command, now_s, request_id};
    co_return co_await (*handler)(env_, call);
  } catch (...) {
    failure = std::current_exception();
  }
  co_return error_for(failure, command, now_s, relay.relay.id);
}

}  // namespace marina::tenants::admin
