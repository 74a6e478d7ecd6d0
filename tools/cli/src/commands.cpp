#include "commands.hpp"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "api_client.hpp"
#include "args.hpp"
#include "key_file.hpp"
#include "marina/nostr/hex.hpp"
#include "marina/nostr/nip19.hpp"
#include "output.hpp"
#include "billing_commands.hpp"
#include "policy_commands.hpp"
#include "relay_admin.hpp"

namespace marina::cli {
namespace {

using nlohmann::json;

constexpr const char* kUsage = R"(usage: marina [--api URL] [--key-file PATH] [--json] <command>

  key generate [--force]           make a new Nostr key and keep it in the key file
  key import <nsec|hex> [--force]  keep an existing key in the key file
  key show                         the public half of the key (npub and hex)

  whoami                           who the platform takes you for
  tenant                           your tenant (created on first use)
  relays list [--status S] [--limit N] [--cursor C] [--all]
  relays create <subdomain> [--name N] [--description D] [--plan P]
  relays get <id>
  relays update <id> [--name N] [--description D] [--plan P]
  relays delete <id>               deactivate (the data is kept)
  relays reactivate <id>
  relays activity <id> [--limit N] [--cursor C]
  relays export <id> [--out FILE]  all events as NDJSON (stdout by default)
  relays import <id> <FILE> [--batch N]   NDJSON events, N per request (default 1000)
  relays config get <id|sub> [KEY] the relay's configuration (one key's value with KEY)
  relays config set <id|sub> KEY=VALUE...  change keys, all or none
  relays config reset <id|sub> KEY...      keys back to their defaults
  relays rules list <id|sub>
  relays rules add <id|sub> whitelist|blacklist pubkey|kind|ip VALUE
  relays rules remove <id|sub> <rule id>
  relays admin <id|sub|ws-url> <command> [params...] [--timeout S]
                                   an admin command over Nostr (kind 23456, NIP-44), the
                                   decrypted answer printed: config_query all|KEY,
                                   config_update KEY=VALUE..., blacklist|whitelist
                                   pubkey|kind|ip VALUE, delete_auth_rule TYPE PTYPE VALUE,
                                   auth_query all|whitelist|blacklist|pattern VALUE,
                                   system_command system_status|clear_all_auth_rules,
                                   stats_query; a relay of someone else by its ws:// URL

  plans                            the plans: price per month (msats) and limits
  invoices list [--limit N] [--cursor C]   your invoices, newest period first
  invoices show <id>               one invoice with its items

  admin tenants list [--status S] [--limit N] [--cursor C]
  admin tenants get <pubkey|npub>
  admin tenants update <pubkey|npub> --status active|suspended [--reason R]
  admin relays list [--status S] [--limit N] [--cursor C]
  admin relays get <id>
  admin relays update <id> [--name N] [--description D] [--plan P] [--status S] [--reason R]
  admin relays delete <id>

The API URL defaults to $MARINA_API, else http://api.localhost:8080; the key
file to ~/.config/marina/key (mode 600). Every request is signed with NIP-98.
)";

const std::vector<Column> kRelayColumns = {{"ID", "id"},     {"SUBDOMAIN", "subdomain"}, {"STATUS", "status"},
                                           {"PLAN", "plan"}, {"URL", "url"},             {"NAME", "name"}};
const std::vector<Column> kTenantColumns = {
    {"PUBKEY", "pubkey"}, {"STATUS", "status"}, {"RELAYS", "relays_count"}, {"CREATED", "created_at"}};
// The audit log: who (BY, ACTOR), through which door (http, nip86, nostr), and the result.
const std::vector<Column> kActivityColumns = {{"WHEN", "created_at"}, {"ACTION", "action"}, {"STATUS", "status"},
                                              {"PLAN", "plan"},       {"BY", "actor_role"}, {"ACTOR", "actor_pubkey"},
                                              {"DOOR", "door"},       {"RESULT", "result"}};

// An API refusal, shown as "error: <code>: <detail>".
struct ApiFailure {
  ApiResponse response;
};

struct Cli {
  Args args;
  bool as_json = false;
  std::string key_path;
  std::string api_url;

  std::string word(std::size_t i, const char* what) const {
    if (i >= args.words().size()) throw UsageError(std::string("missing ") + what);
    return args.words()[i];
  }

  void expect_words(std::size_t n) const {
    if (args.words().size() > n) throw UsageError("unexpected argument '" + args.words()[n] + "'");
  }

  ApiClient client() const { return ApiClient(parse_api_base(api_url), load_key(key_path)); }

  json call(const std::string& method, const std::string& target, const std::optional<json>& body = std::nullopt) {
    return answer(client().request(method, target, body ? body->dump() : std::string()));
  }

  // A public route (GET /plans): no key needed, none sent.
  json call_public(const std::string& target) { return answer(ApiClient(parse_api_base(api_url)).request("GET", target)); }

  static json answer(const ApiResponse& response) {
    if (response.status >= 400) throw ApiFailure{response};
    return response.body.empty() ? json::object() : json::parse(response.body);
  }

  // The query string of the list options that were given, in a fixed order
  // (the NIP-98 token signs the exact URL).
  std::string list_query(bool with_status) const {
    std::string q;
    auto add = [&](const char* name) {
      if (auto v = args.option(name)) q += std::string(q.empty() ? "?" : "&") + name + "=" + *v;
    };
    add("limit");
    add("cursor");
    if (with_status) add("status");
    return q;
  }

  json relay_changes(bool admin) const {
    json body = json::object();
    for (const char* f : {"name", "description", "plan"}) {
      if (auto v = args.option(f)) body[f] = *v;
    }
    if (admin) {
      if (auto v = args.option("status")) body["status"] = *v;
      if (auto v = args.option("reason")) body["reason"] = *v;
    }
    if (body.empty()) throw UsageError("nothing to change: give --name, --description or --plan");
    return body;
  }

  void show(const json& value) const { std::cout << (as_json ? value.dump(2) : std::string()) << (as_json ? "\n" : ""); }

  void show_relay(const json& relay) const {
    if (as_json) return show(relay);
    print_object(std::cout, relay);
  }

  void show_page(const json& page, const std::vector<Column>& columns) const {
    if (as_json) return show(page);
    print_table(std::cout, page["items"], columns);
    if (page.contains("next_cursor") && page["next_cursor"].is_string())
      std::cout << "(more: --cursor " << page["next_cursor"].get<std::string>() << ")\n";
  }
};

std::string tenant_key(const std::string& text) {
  if (text.rfind("npub1", 0) == 0) {
    auto key = nostr::nip19::decode_npub(text);
    if (!key) throw UsageError("'" + text + "' is not a valid npub");
    return nostr::hex_encode(key->span());
  }
  return text;
}

int key_command(Cli& cli) {
  const std::string sub = cli.word(1, "key subcommand (generate, import, show)");
  if (sub == "generate" || sub == "import") {
    cli.args.only({"force", "key-file", "json", "api"});
    std::optional<nostr::SecretKey> key;
    if (sub == "generate") {
      cli.expect_words(2);
      key = nostr::SecretKey::generate();
    } else {
      cli.expect_words(3);
      key = parse_secret(cli.word(2, "the key (nsec1... or 64 hex)"));
      if (!key) throw UsageError("not an nsec or 64 hex characters");
    }
    save_key(cli.key_path, *key, cli.args.flag("force"));
    std::cerr << "key saved in " << cli.key_path << " (mode 600)\n";
  } else if (sub != "show") {
    throw UsageError("unknown key subcommand '" + sub + "'");
  }
  cli.expect_words(sub == "import" ? 3 : 2);
  const auto pub = nostr::public_key(load_key(cli.key_path));
  const json out = {{"npub", nostr::nip19::encode_npub(pub)}, {"pubkey", nostr::hex_encode(pub.span())}};
  if (cli.as_json) cli.show(out);
  else print_object(std::cout, out);
  return 0;
}

int export_relay(Cli& cli, const std::string& id) {
  std::ofstream file;
  std::ostream* out = &std::cout;
  if (auto path = cli.args.option("out")) {
    file.open(*path, std::ios::binary | std::ios::trunc);
    if (!file) throw std::runtime_error("cannot write " + *path);
    out = &file;
  }
  auto response = cli.client().stream("/tenant/relays/" + id + "/export",
                                      [&](std::string_view chunk) { out->write(chunk.data(), chunk.size()); });
  if (response.status >= 400) throw ApiFailure{response};
  out->flush();
  if (!*out) throw std::runtime_error("writing the export failed");
  return 0;
}

// Sends the file in batches of whole lines, so neither side holds more than a
// batch, and adds up the answers (problem line numbers are the file's).
int import_relay(Cli& cli, const std::string& id, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  // 1000 events of a few hundred bytes stay under the API's default 1 MiB body limit.
  long batch_size = 1000;
  if (auto v = cli.args.option("batch")) batch_size = std::strtol(v->c_str(), nullptr, 10);
  if (batch_size < 1) throw UsageError("--batch must be a positive number");
  json total = {{"imported", 0}, {"duplicates", 0}, {"invalid", 0}, {"problems", json::array()}};
  std::string line, body;
  long first_line = 1, lines = 0, line_no = 0;
  auto send = [&] {
    if (lines == 0) return;
    auto response = cli.client().request("POST", "/tenant/relays/" + id + "/import", body, "application/x-ndjson");
    if (response.status >= 400) throw ApiFailure{response};
    const json r = json::parse(response.body);
    for (const char* k : {"imported", "duplicates", "invalid"}) total[k] = total[k].get<long>() + r.value(k, 0L);
    for (auto p : r.value("problems", json::array())) {
      p["line"] = p.value("line", 0L) + first_line - 1;
      total["problems"].push_back(p);
    }
    body.clear();
    first_line = line_no + 1;
    lines = 0;
  };
  while (std::getline(in, line)) {
    ++line_no;
    body += line;
    body += '\n';
    if (++lines == batch_size) send();
  }
  send();
  if (cli.as_json) {
    cli.show(total);
  } else {
    std::cout << "imported: " << total["imported"] << "\nduplicates: " << total["duplicates"]
              << "\ninvalid: " << total["invalid"] << '\n';
    print_table(std::cout, total["problems"], {{"LINE", "line"}, {"REASON", "reason"}});
  }
  return 0;
}

int relays_command(Cli& cli) {
  const std::string sub = cli.word(1, "relays subcommand");
  const std::set<std::string> common = {"api", "key-file", "json"};
  auto allow = [&](std::set<std::string> extra) {
    extra.insert(common.begin(), common.end());
    cli.args.only(extra);
  };
  if (sub == "list") {
    allow({"status", "limit", "cursor", "all"});
    cli.expect_words(2);
    if (!cli.args.flag("all")) {
      cli.show_page(cli.call("GET", "/tenant/relays" + cli.list_query(true)), kRelayColumns);
      return 0;
    }
    // --all: follow next_cursor to the end.
    json all = json::array();
    std::optional<std::string> cursor;
    do {
      std::string q = "?limit=200";
      if (cursor) q += "&cursor=" + *cursor;
      if (auto s = cli.args.option("status")) q += "&status=" + *s;
      json page = cli.call("GET", "/tenant/relays" + q);
      for (auto& r : page["items"]) all.push_back(r);
      cursor = page["next_cursor"].is_string() ? std::optional(page["next_cursor"].get<std::string>()) : std::nullopt;
    } while (cursor);
    cli.show_page(json{{"items", all}, {"next_cursor", nullptr}}, kRelayColumns);
    return 0;
  }
  if (sub == "create") {
    allow({"name", "description", "plan"});
    cli.expect_words(3);
    json body = {{"subdomain", cli.word(2, "subdomain")}};
    for (const char* f : {"name", "description", "plan"}) {
      if (auto v = cli.args.option(f)) body[f] = *v;
    }
    cli.show_relay(cli.call("POST", "/tenant/relays", body));
    return 0;
  }
  if (sub == "config" || sub == "rules") {
    allow({});
    PolicyContext ctx{cli.args, cli.as_json,
                      [&cli](const std::string& method, const std::string& target, const std::optional<json>& body) {
                        return cli.call(method, target, body);
                      }};
    return sub == "config" ? config_command(ctx) : rules_command(ctx);
  }
  if (sub == "admin") {
    allow({"timeout"});
    RelayAdminContext ctx{cli.args, cli.as_json, load_key(cli.key_path),
                          [&cli](const std::string& method, const std::string& target) { return cli.call(method, target); }};
    return relay_admin_command(ctx);
  }
  static const std::set<std::string> kWithId = {"get", "update", "delete", "reactivate", "activity", "export", "import"};
  if (!kWithId.contains(sub)) throw UsageError("unknown relays subcommand '" + sub + "'");
  const std::string id = cli.word(2, "relay id");
  if (sub == "get") {
    allow({});
    cli.expect_words(3);
    cli.show_relay(cli.call("GET", "/tenant/relays/" + id));
  } else if (sub == "update") {
    allow({"name", "description", "plan"});
    cli.expect_words(3);
    cli.show_relay(cli.call("PUT", "/tenant/relays/" + id, cli.relay_changes(false)));
  } else if (sub == "delete") {
    allow({});
    cli.expect_words(3);
    cli.show_relay(cli.call("DELETE", "/tenant/relays/" + id));
  } else if (sub == "reactivate") {
    allow({});
    cli.expect_words(3);
    cli.show_relay(cli.call("POST", "/tenant/relays/" + id + "/reactivate"));
  } else if (sub == "activity") {
    allow({"limit", "cursor"});
    cli.expect_words(3);
    cli.show_page(cli.call("GET", "/tenant/relays/" + id + "/activity" + cli.list_query(false)), kActivityColumns);
  } else if (sub == "export") {
    allow({"out"});
    cli.expect_words(3);
    return export_relay(cli, id);
  } else if (sub == "import") {
    allow({"batch"});
    cli.expect_words(4);
    return import_relay(cli, id, cli.word(3, "NDJSON file"));
  } else {
    throw UsageError("unknown relays subcommand '" + sub + "'");
  }
  return 0;
}

int admin_command(Cli& cli) {
  const std::string what = cli.word(1, "admin tenants|relays");
  const std::string sub = cli.word(2, "admin subcommand");
  const std::set<std::string> common = {"api", "key-file", "json"};
  auto allow = [&](std::set<std::string> extra) {
    extra.insert(common.begin(), common.end());
    cli.args.only(extra);
  };
  if (what != "tenants" && what != "relays") throw UsageError("admin takes tenants or relays");
  const std::string base = "/admin/" + what;
  const auto& columns = what == "tenants" ? kTenantColumns : kRelayColumns;
  if (sub == "list") {
    allow({"status", "limit", "cursor"});
    cli.expect_words(3);
    cli.show_page(cli.call("GET", base + cli.list_query(true)), columns);
    return 0;
  }
  std::string key = cli.word(3, what == "tenants" ? "tenant pubkey or npub" : "relay id");
  if (what == "tenants") key = tenant_key(key);
  cli.expect_words(4);
  json result;
  if (sub == "get") {
    allow({});
    result = cli.call("GET", base + "/" + key);
  } else if (sub == "update" && what == "tenants") {
    allow({"status", "reason"});
    auto status = cli.args.option("status");
    if (!status) throw UsageError("admin tenants update needs --status active|suspended");
    json body{{"status", *status}};
    if (auto reason = cli.args.option("reason")) body["reason"] = *reason;
    result = cli.call("PUT", base + "/" + key, body);
  } else if (sub == "update") {
    allow({"name", "description", "plan", "status", "reason"});
    result = cli.call("PUT", base + "/" + key, cli.relay_changes(true));
  } else if (sub == "delete" && what == "relays") {
    allow({});
    result = cli.call("DELETE", base + "/" + key);
  } else {
    throw UsageError("unknown admin " + what + " subcommand '" + sub + "'");
  }
  if (cli.as_json) {
    cli.show(result);
  } else {
    print_object(std::cout, result);
    if (result.contains("relays")) {
      std::cout << '\n';
      print_table(std::cout, result["relays"], kRelayColumns);
    }
  }
  return 0;
}

int dispatch(Cli& cli) {
  if (cli.args.words().empty() || cli.args.flag("help")) {
    std::cout << kUsage;
    return cli.args.words().empty() && !cli.args.flag("help") ? 2 : 0;
  }
  const std::string command = cli.args.words()[0];
  if (command == "key") return key_command(cli);
  if (command == "whoami" || command == "tenant") {
    cli.args.only({"api", "key-file", "json"});
    cli.expect_words(1);
    json out = cli.call("GET", command == "whoami" ? "/tenant/whoami" : "/tenant");
    if (cli.as_json) cli.show(out);
    else print_object(std::cout, out);
    return 0;
  }
  if (command == "relays") return relays_command(cli);
  if (command == "admin") return admin_command(cli);
  if (command == "plans" || command == "invoices") {
    BillingContext ctx{cli.args, cli.as_json,
                       [&cli](const std::string& method, const std::string& target) { return cli.call(method, target); },
                       [&cli](const std::string& target) { return cli.call_public(target); }};
    return command == "plans" ? plans_command(ctx) : invoices_command(ctx);
  }
  throw UsageError("unknown command '" + command + "'");
}

}  // namespace

int run(int argc, char** argv) {
  std::vector<std::string> argv_words(argv + 1, argv + argc);
  try {
    Cli cli{Args(argv_words, {"json", "force", "all", "help"})};
    cli.as_json = cli.args.flag("json");
    const char* env_api = std::getenv("MARINA_API");
    cli.api_url = cli.args.option("api").value_or(env_api != nullptr && *env_api ? env_api : "http://api.localhost:8080");
    cli.key_path = cli.args.option("key-file").value_or("");
    if (cli.key_path.empty()) cli.key_path = default_key_path();
    return dispatch(cli);
  } catch (const UsageError& e) {
    std::cerr << "marina: " << e.what() << "\n\n" << kUsage;
    return 2;
  } catch (const ApiFailure& f) {
    const json problem = json::parse(f.response.body, nullptr, false);
    if (problem.is_object() && problem.contains("code")) {
      std::cerr << "error: " << cell(problem["code"]) << ": " << cell(problem.value("detail", problem.value("title", json())))
                << " (HTTP " << f.response.status << ")\n";
      if (argv_words.end() != std::find(argv_words.begin(), argv_words.end(), "--json"))
        std::cout << problem.dump(2) << '\n';
    } else {
      std::cerr << "error: HTTP " << f.response.status << "\n";
    }
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "marina: " << e.what() << '\n';
    return 1;
  }
}

}  // namespace marina::cli
