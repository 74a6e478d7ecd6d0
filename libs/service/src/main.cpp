#include "marina/service/main.hpp"

#include <cstdio>
#include <exception>
#include <string_view>

#include "marina/core/log.hpp"

namespace marina::service {

namespace {

// Thrown by finish_config() under --config-help: the table is printed and the
// body must not go on to start anything.
struct ConfigHelpShown {};

void print_usage(const std::string& name) {
  std::printf(
      "usage: marina-%s [--config-help]\n"
      "Configured by environment variables; --config-help lists them with defaults.\n",
      name.c_str());
}

}  // namespace

Context::Context(core::Config& cfg, ServiceSpec spec, bool config_help_requested)
    : config(cfg), spec_(std::move(spec)), settings_(read_settings(cfg, spec_)), config_help_(config_help_requested) {}

void Context::finish_config() {
  if (finished_) return;
  if (config_help_) {
    std::fputs(config.markdown_table().c_str(), stdout);
    std::fflush(stdout);
    throw ConfigHelpShown{};
  }
  config.finish();
  log::init(spec_.name, settings_.log_level);
  finished_ = true;
}

int run_main(int argc, char** argv, ServiceSpec spec, const std::function<int(Context&)>& body) {
  const std::string name = spec.name;
  bool config_help = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--config-help") {
      config_help = true;
    } else if (arg == "--help" || arg == "-h") {
      print_usage(name);
      return 0;
    } else {
      std::fprintf(stderr, "marina-%s: unknown argument '%s' (try --help)\n", name.c_str(), argv[i]);
      return 2;
    }
  }
  try {
    core::Config config;
    Context ctx(config, std::move(spec), config_help);
    int code = body(ctx);
    // A body that declared variables but never finished: still honour --config-help.
    if (config_help && !ctx.config_finished()) ctx.finish_config();
    return code;
  } catch (const ConfigHelpShown&) {
    return 0;
  } catch (const core::ConfigError& e) {
    std::fprintf(stderr, "marina-%s: %s\n", name.c_str(), e.what());
    return 2;
  } catch (const std::exception& e) {
    log::error("fatal error", {{"error", e.what()}});
    std::fprintf(stderr, "marina-%s: %s\n", name.c_str(), e.what());
    return 1;
  }
}

}  // namespace marina::service
