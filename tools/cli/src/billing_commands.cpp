#include "billing_commands.hpp"

#include <iostream>

#include "output.hpp"

namespace marina::cli {
namespace {

using nlohmann::json;

const std::vector<Column> kPlanColumns = {{"ID", "id"},
                                          {"NAME", "name"},
                                          {"PRICE_MSATS", "price_msats"},
                                          {"MAX_RELAYS", "max_relays"},
                                          {"MAX_STORED_EVENTS", "max_stored_events"},
                                          {"MAX_CONNECTIONS", "max_connections"}};
const std::vector<Column> kInvoiceColumns = {{"ID", "id"},
                                             {"PERIOD_START", "period_start"},
                                             {"PERIOD_END", "period_end"},
                                             {"STATUS", "status"},
                                             {"TOTAL_MSATS", "total_msats"},
                                             {"DUE_MSATS", "amount_due_msats"}};
const std::vector<Column> kItemColumns = {{"BILLED_AT", "billed_at"}, {"KIND", "kind"},
                                          {"AMOUNT_MSATS", "amount_msats"}, {"PLAN", "plan"},
                                          {"DESCRIPTION", "description"}};

void expect_words(const Args& args, std::size_t n) {
  if (args.words().size() > n) throw UsageError("unexpected argument '" + args.words()[n] + "'");
}

}  // namespace

int plans_command(BillingContext& ctx) {
  ctx.args.only({"api", "key-file", "json"});
  expect_words(ctx.args, 1);
  const json page = ctx.call_public("/plans");
  if (ctx.as_json) {
    std::cout << page.dump(2) << '\n';
    return 0;
  }
  // The limits are nested in the API's JSON; the table shows them flat.
  json rows = json::array();
  for (const auto& plan : page["data"]) {
    json row = plan;
    for (const auto& entry : plan["limits"].items()) row[entry.key()] = entry.value();
    rows.push_back(row);
  }
  print_table(std::cout, rows, kPlanColumns);
  return 0;
}

int invoices_command(BillingContext& ctx) {
  const auto& words = ctx.args.words();
  if (words.size() < 2) throw UsageError("missing invoices subcommand (list or show)");
  const std::string sub = words[1];
  if (sub == "list") {
    ctx.args.only({"api", "key-file", "json", "limit", "cursor"});
    expect_words(ctx.args, 2);
    std::string q;
    for (const char* name : {"limit", "cursor"})
      if (auto v = ctx.args.option(name)) q += std::string(q.empty() ? "?" : "&") + name + "=" + *v;
    const json page = ctx.call("GET", "/tenant/invoices" + q);
    if (ctx.as_json) {
      std::cout << page.dump(2) << '\n';
      return 0;
    }
    print_table(std::cout, page["data"], kInvoiceColumns);
    if (page.contains("next_cursor") && page["next_cursor"].is_string())
      std::cout << "(more: --cursor " << page["next_cursor"].get<std::string>() << ")\n";
    return 0;
  }
  if (sub == "show") {
    ctx.args.only({"api", "key-file", "json"});
    if (words.size() < 3) throw UsageError("missing invoice id");
    expect_words(ctx.args, 3);
    const json invoice = ctx.call("GET", "/tenant/invoices/" + words[2]);
    if (ctx.as_json) {
      std::cout << invoice.dump(2) << '\n';
      return 0;
    }
    json head = invoice;
    head.erase("items");
    print_object(std::cout, head);
    std::cout << '\n';
    print_table(std::cout, invoice["items"], kItemColumns);
    return 0;
  }
  throw UsageError("unknown invoices subcommand '" + sub + "'");
}

}  // namespace marina::cli
