#include <gtest/gtest.h>

#include <cstdlib>
#include <map>

#include "marina/service/main.hpp"
#include "marina/service/settings.hpp"

namespace marina::service {
namespace {

using namespace std::chrono_literals;

core::Config env(std::map<std::string, std::string> vars) {
  return core::Config([vars](const std::string& k) -> std::optional<std::string> {
    auto it = vars.find(k);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  });
}

TEST(Settings, DefaultsComeFromTheSpec) {
  auto c = env({});
  auto s = read_settings(c, {.name = "tenants", .port = 8081, .admin_port = 9081});
  EXPECT_NO_THROW(c.finish());
  EXPECT_EQ(s.host, "127.0.0.1");
  EXPECT_EQ(s.port, 8081);
  EXPECT_EQ(s.admin_host, "127.0.0.1");
  EXPECT_EQ(s.admin_port, 9081);
  EXPECT_EQ(s.threads, 1);
  EXPECT_EQ(s.log_level, log::Level::info);
  EXPECT_EQ(s.shutdown_grace, 10s);
  EXPECT_EQ(s.limits.max_body_bytes, 1u << 20);
  EXPECT_EQ(s.limits.read_timeout, 10s);
}

TEST(Settings, EnvironmentOverrides) {
  auto c = env({{"HOST", "0.0.0.0"},
                {"PORT", "0"},
                {"THREADS", "4"},
                {"LOG_LEVEL", "debug"},
                {"SHUTDOWN_GRACE", "2s"},
                {"HTTP_MAX_BODY_BYTES", "4096"},
                {"HTTP_MAX_HEADER_BYTES", "8192"},
                {"HTTP_READ_TIMEOUT", "300ms"},
                {"HTTP_IDLE_TIMEOUT", "5s"},
                {"HTTP_MAX_CONNECTIONS", "10"}});
  auto s = read_settings(c, {.name = "x"});
  EXPECT_NO_THROW(c.finish());
  EXPECT_EQ(s.host, "0.0.0.0");
  EXPECT_EQ(s.port, 0);
  EXPECT_EQ(s.threads, 4);
  EXPECT_EQ(s.log_level, log::Level::debug);
  EXPECT_EQ(s.shutdown_grace, 2s);
  EXPECT_EQ(s.limits.max_body_bytes, 4096u);
  EXPECT_EQ(s.limits.max_header_bytes, 8192u);
  EXPECT_EQ(s.limits.read_timeout, 300ms);
  EXPECT_EQ(s.limits.idle_timeout, 5s);
  EXPECT_EQ(s.limits.max_connections, 10u);
}

TEST(Settings, BadValuesNameTheVariable) {
  for (auto [var, value] : std::vector<std::pair<std::string, std::string>>{
           {"THREADS", "0"}, {"LOG_LEVEL", "loud"}, {"HTTP_READ_TIMEOUT", "soon"}, {"ADMIN_PORT", "99999"}}) {
    auto c = env({{var, value}});
    read_settings(c, {.name = "x"});
    try {
      c.finish();
      ADD_FAILURE() << var << "=" << value << " was accepted";
    } catch (const core::ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find(var), std::string::npos) << e.what();
    }
  }
}

TEST(Settings, NoPublicServerMeansNoHostOrPort) {
  auto c = env({});
  read_settings(c, {.name = "relay-ingest", .public_http = false});
  for (const auto& e : c.entries()) {
    EXPECT_NE(e.name, "PORT");
    EXPECT_NE(e.name, "HOST");
  }
}

// run_main reads the real environment; these variables are set only inside one test.
struct ScopedEnv {
  std::string name;
  ScopedEnv(std::string n, const std::string& v) : name(std::move(n)) { ::setenv(name.c_str(), v.c_str(), 1); }
  ~ScopedEnv() { ::unsetenv(name.c_str()); }
};

int call_run_main(std::vector<std::string> args, const std::function<int(Context&)>& body) {
  std::vector<char*> argv;
  args.insert(args.begin(), "marina-svc");
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  return run_main(static_cast<int>(args.size()), argv.data(), {.name = "svc", .port = 1, .admin_port = 2}, body);
}

TEST(RunMain, ConfigHelpPrintsEveryVariableAndStopsBeforeStarting) {
  bool went_on = false;
  ::testing::internal::CaptureStdout();
  int code = call_run_main({"--config-help"}, [&](Context& ctx) {
    ctx.config.string("SERVICE_SPECIFIC", "x", "Declared by the service itself.");
    ctx.finish_config();
    went_on = true;
    return 0;
  });
  std::string out = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(code, 0);
  EXPECT_FALSE(went_on);
  for (const char* var : {"`PORT`", "`ADMIN_PORT`", "`SHUTDOWN_GRACE`", "`HTTP_MAX_BODY_BYTES`", "`SERVICE_SPECIFIC`"}) {
    EXPECT_NE(out.find(var), std::string::npos) << var;
  }
}

TEST(RunMain, InvalidConfigurationIsOneLineOnStderrAndExit2) {
  ScopedEnv bad("ADMIN_PORT", "99999");
  bool went_on = false;
  ::testing::internal::CaptureStderr();
  int code = call_run_main({}, [&](Context& ctx) {
    ctx.finish_config();
    went_on = true;
    return 0;
  });
  std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(code, 2);
  EXPECT_FALSE(went_on);
  EXPECT_EQ(err, "marina-svc: invalid configuration: ADMIN_PORT: '99999' is not a TCP port (0..65535)\n");
}

TEST(RunMain, ServiceVariablesAreValidatedToo) {
  ::testing::internal::CaptureStderr();
  int code = call_run_main({}, [&](Context& ctx) {
    ctx.config.required_string("DATABASE_URL", "PostgreSQL.");
    ctx.finish_config();
    return 0;
  });
  std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(code, 2);
  EXPECT_EQ(err, "marina-svc: invalid configuration: DATABASE_URL: is required and not set\n");
}

TEST(RunMain, ExitCodesForArgumentsAndFailures) {
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(call_run_main({"--bogus"}, [](Context&) { return 0; }), 2);
  EXPECT_NE(::testing::internal::GetCapturedStderr().find("unknown argument '--bogus'"), std::string::npos);

  ::testing::internal::CaptureStdout();
  EXPECT_EQ(call_run_main({"--help"}, [](Context&) { return 5; }), 0);
  EXPECT_NE(::testing::internal::GetCapturedStdout().find("usage: marina-svc"), std::string::npos);

  EXPECT_EQ(call_run_main({}, [](Context& ctx) {
              ctx.finish_config();
              return 7;
            }),
            7);

  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(call_run_main({}, [](Context&) -> int { throw std::runtime_error("port in use"); }), 1);
  ::testing::internal::GetCapturedStdout();
  EXPECT_NE(::testing::internal::GetCapturedStderr().find("port in use"), std::string::npos);
}

}  // namespace
}  // namespace marina::service
