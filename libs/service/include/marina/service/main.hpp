#pragma once
// The entry point every service's main() delegates to.
//
//   int main(int argc, char** argv) {
//     return marina::service::run_main(argc, argv, {.name = "tenants", .port = 8081, .admin_port = 9081},
//                                      [](marina::service::Context& ctx) {
//       auto db_url = ctx.config.secret("DATABASE_URL", "", "PostgreSQL connection string.");
//       ctx.finish_config();               // validates everything declared so far
//       marina::service::App app(ctx);
//       app.router().get("/tenant", ...);
//       app.add_readiness_check("postgres", [&]() -> asio::awaitable<bool> { co_return co_await db.ping(); });
//       return app.run();                  // until SIGTERM/SIGINT; 0 after a clean shutdown
//     });
//   }
//
// run_main handles the command line (`--config-help` prints every declared
// variable as a Markdown table, `--help`), turns a bad configuration into one
// line on stderr (`marina-tenants: invalid configuration: PORT: ...`, exit 2),
// and any other escaping exception into an error log line and exit 1.
#include <functional>
#include <string>

#include "marina/core/config.hpp"
#include "marina/service/settings.hpp"

namespace marina::service {

class Context {
 public:
  Context(core::Config& config, ServiceSpec spec, bool config_help_requested);

  // Declare the service's own variables here before finish_config().
  core::Config& config;
  const ServiceSpec& spec() const { return spec_; }
  const Settings& settings() const { return settings_; }

  // Validates every declared variable (throws core::ConfigError) and sets up
  // logging. Under --config-help it prints the table instead and ends the program
  // with exit code 0 (by an exception run_main catches). Idempotent; App calls it too.
  void finish_config();
  bool config_finished() const { return finished_; }

 private:
  ServiceSpec spec_;
  Settings settings_;
  bool config_help_;
  bool finished_ = false;
};

int run_main(int argc, char** argv, ServiceSpec spec, const std::function<int(Context&)>& body);

}  // namespace marina::service
