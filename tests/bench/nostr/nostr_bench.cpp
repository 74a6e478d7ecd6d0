// Hot paths of libs/nostr. Numbers are recorded in libs/nostr/README.md.
#include <benchmark/benchmark.h>
#include <secp256k1.h>
#include <secp256k1_extrakeys.h>
#include <secp256k1_schnorrsig.h>

#include "marina/nostr/client_message.hpp"
#include "marina/nostr/event_parse.hpp"
#include "marina/nostr/event_sign.hpp"
#include "marina/nostr/filter.hpp"
#include "marina/nostr/nip44.hpp"
#include "marina/nostr/relay_message.hpp"
#include "marina/nostr/serialize.hpp"

using namespace marina::nostr;

namespace {

const SecretKey& author() {
  static const SecretKey k = *SecretKey::from_hex("0beebd062ec8735f4243466049d7747ef5d6594ee838de147f8aab842b15e273");
  return k;
}

// A typical kind-1 reply: a root `e` tag with relay hint and marker, a `p`
// tag, a hashtag, and a sentence with quotes and a newline: 600 bytes of
// JSON.
const Event& typical_note() {
  static const Event e = [] {
    EventTemplate t;
    t.created_at = 1718000000;
    t.kind = 1;
    t.tags = {{"e", std::string(64, 'a'), "wss://relay.damus.io", "root"},
              {"p", std::string(64, 'c')},
              {"t", "nostr"}};
    t.content = "Moved our \"community\" relay last week:\nit was painless. Thanks all! #nostr";
    return sign(t, author());
  }();
  return e;
}

void BM_ParseAndCheckId(benchmark::State& state) {
  const std::string& raw = typical_note().raw;
  for (auto _ : state) {
    auto r = parse_event(raw);
    benchmark::DoNotOptimize(r);
  }
  state.counters["bytes"] = static_cast<double>(raw.size());
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * raw.size()));
}
BENCHMARK(BM_ParseAndCheckId);

void BM_ParseWithoutIdCheck(benchmark::State& state) {
  const std::string& raw = typical_note().raw;
  for (auto _ : state) {
    auto r = parse_event(raw, {.check_id = false});
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_ParseWithoutIdCheck);

void BM_CanonicalSerialization(benchmark::State& state) {
  const Event& e = typical_note();
  std::string out;
  for (auto _ : state) {
    out.clear();
    append_canonical(out, e.pubkey, e.created_at, e.kind, e.tags, e.content);
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["bytes"] = static_cast<double>(out.size());
}
BENCHMARK(BM_CanonicalSerialization);

void BM_ComputeEventId(benchmark::State& state) {
  const Event& e = typical_note();
  for (auto _ : state) benchmark::DoNotOptimize(compute_event_id(e));
}
BENCHMARK(BM_ComputeEventId);

void BM_VerifySignature(benchmark::State& state) {
  const Event& e = typical_note();
  for (auto _ : state) benchmark::DoNotOptimize(verify_signature(e));
}
BENCHMARK(BM_VerifySignature);

// Baselines: libsecp256k1 called directly. "ParseAndVerify" is what any
// verifier of a 32-byte x-only key must do; "VerifyOnly" skips the key
// parse (possible only with a cache of parsed keys).
void BM_Secp256k1ParseAndVerify(benchmark::State& state) {
  const Event& e = typical_note();
  secp256k1_context* ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
  for (auto _ : state) {
    secp256k1_xonly_pubkey pk;
    int ok = secp256k1_xonly_pubkey_parse(ctx, &pk, e.pubkey.data());
    ok &= secp256k1_schnorrsig_verify(ctx, e.sig.data(), e.id.data(), 32, &pk);
    benchmark::DoNotOptimize(ok);
  }
  secp256k1_context_destroy(ctx);
}
BENCHMARK(BM_Secp256k1ParseAndVerify);

void BM_Secp256k1VerifyOnly(benchmark::State& state) {
  const Event& e = typical_note();
  secp256k1_context* ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
  secp256k1_xonly_pubkey pk;
  if (!secp256k1_xonly_pubkey_parse(ctx, &pk, e.pubkey.data())) state.SkipWithError("bad key");
  for (auto _ : state) benchmark::DoNotOptimize(secp256k1_schnorrsig_verify(ctx, e.sig.data(), e.id.data(), 32, &pk));
  secp256k1_context_destroy(ctx);
}
BENCHMARK(BM_Secp256k1VerifyOnly);

void BM_SignEvent(benchmark::State& state) {
  EventTemplate t{1718000000, 1, typical_note().tags, typical_note().content};
  for (auto _ : state) benchmark::DoNotOptimize(sign(t, author()));
}
BENCHMARK(BM_SignEvent);

Filter filter_with_authors(int n) {
  std::string text = R"({"kinds":[1,6,7],"authors":[)";
  for (int i = 0; i < n; ++i) {
    char hex[65];
    std::snprintf(hex, sizeof hex, "%064x", i * 7919 + 1);
    if (i) text += ',';
    text += '"';
    text += hex;
    text += '"';
  }
  text += "]}";
  return parse_filter(text).value();
}

void BM_FilterMatch100AuthorsHit(benchmark::State& state) {
  Filter f = filter_with_authors(100);
  Event e = typical_note();
  e.pubkey = (*f.authors)[57];
  for (auto _ : state) benchmark::DoNotOptimize(f.matches(e));
}
BENCHMARK(BM_FilterMatch100AuthorsHit);

void BM_FilterMatch100AuthorsMiss(benchmark::State& state) {
  const Filter f = filter_with_authors(100);
  const Event& e = typical_note();
  for (auto _ : state) benchmark::DoNotOptimize(f.matches(e));
}
BENCHMARK(BM_FilterMatch100AuthorsMiss);

void BM_FilterMatchTags(benchmark::State& state) {
  const Filter f = parse_filter(R"({"kinds":[1],"#t":["bitcoin","nostr","zap"],"#p":[")" + std::string(64, 'c') +
                                R"("]})")
                       .value();
  const Event& e = typical_note();
  for (auto _ : state) benchmark::DoNotOptimize(f.matches(e));
}
BENCHMARK(BM_FilterMatchTags);

void BM_ParseClientEventMessage(benchmark::State& state) {
  const std::string msg = client_event(typical_note());
  for (auto _ : state) {
    auto r = parse_client_message(msg);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_ParseClientEventMessage);

void BM_ParseReqMessage(benchmark::State& state) {
  const std::string msg = client_req("feed", {filter_with_authors(100), parse_filter(R"({"kinds":[7],"limit":50})").value()});
  for (auto _ : state) {
    auto r = parse_client_message(msg);
    benchmark::DoNotOptimize(r);
  }
  state.counters["bytes"] = static_cast<double>(msg.size());
}
BENCHMARK(BM_ParseReqMessage);

void BM_BuildRelayEvent(benchmark::State& state) {
  const Event& e = typical_note();
  for (auto _ : state) benchmark::DoNotOptimize(relay_event("feed", e.raw));
}
BENCHMARK(BM_BuildRelayEvent);

const nip44::ConversationKey& conversation() {
  static const nip44::ConversationKey k =
      nip44::conversation_key(author(), public_key(*SecretKey::from_hex(std::string(63, '0') + "2"))).value();
  return k;
}

void BM_Nip44ConversationKey(benchmark::State& state) {
  const PublicKey peer = public_key(*SecretKey::from_hex(std::string(63, '0') + "2"));
  for (auto _ : state) benchmark::DoNotOptimize(nip44::conversation_key(author(), peer));
}
BENCHMARK(BM_Nip44ConversationKey);

void BM_Nip44Encrypt(benchmark::State& state) {
  const std::string plaintext(static_cast<std::size_t>(state.range(0)), 'x');
  const Bytes32 nonce{};
  for (auto _ : state) benchmark::DoNotOptimize(nip44::encrypt(plaintext, conversation(), nonce));
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Nip44Encrypt)->Arg(100)->Arg(10000);

void BM_Nip44Decrypt(benchmark::State& state) {
  const std::string payload =
      nip44::encrypt(std::string(static_cast<std::size_t>(state.range(0)), 'x'), conversation()).value();
  for (auto _ : state) benchmark::DoNotOptimize(nip44::decrypt(payload, conversation()));
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Nip44Decrypt)->Arg(100)->Arg(10000);

}  // namespace
