#include "marina/service/app.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <csignal>
#include <optional>
#include <stdexcept>
#include <thread>

#include "admin_routes.hpp"
#include "marina/core/log.hpp"
#include "marina/http/upgrade.hpp"
#include "marina/metrics/process.hpp"
#include "marina/metrics/registry.hpp"
#include "marina/service/main.hpp"
#include "readiness.hpp"
#include "task_group.hpp"

namespace marina::service {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

// The admin port serves a handful of probe and scrape connections; its own
// small limits keep it answering whatever the public port is going through.
http::ServerLimits admin_limits() {
  http::ServerLimits l;
  l.max_body_bytes = 64 * 1024;
  l.max_connections = 256;
  return l;
}

std::string address(const std::string& host, std::uint16_t port) { return host + ":" + std::to_string(port); }

}  // namespace

struct App::Impl {
  Impl(ServiceSpec sp, Settings se)
      : spec(std::move(sp)),
        settings(std::move(se)),
        io(settings.threads),
        strand(asio::make_strand(io)),
        background(io, [this](const std::string& name, std::exception_ptr e) { on_task_exit(name, e); }) {
    if (spec.public_http) router.emplace();
    metrics::register_process_metrics(registry);
  }

  void on_task_exit(const std::string& name, std::exception_ptr e);
  void wait_for_signal();
  // Runs drain() and then stops the io_context, whatever drain() throws.
  asio::awaitable<void> shutdown_sequence();
  asio::awaitable<void> drain();

  ServiceSpec spec;
  Settings settings;
  // Declared first so it is destroyed last: everything below holds I/O objects.
  asio::io_context io;
  asio::strand<asio::io_context::executor_type> strand;  // start/shutdown bookkeeping, signals
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  metrics::Registry registry;
  std::optional<http::Router> router;
  http::UpgradeHandler upgrade;
  std::vector<detail::ReadinessEntry> checks;
  std::vector<std::pair<std::string, ShutdownHook>> hooks;
  detail::TaskGroup background;
  std::unique_ptr<http::Server> main;
  std::unique_ptr<http::Server> admin;
  std::optional<asio::signal_set> signals;
  bool started = false;
  std::atomic<bool> shutting_down{false};
  std::atomic<int> exit_code{0};
};

void App::Impl::on_task_exit(const std::string& name, std::exception_ptr e) {
  if (!e) {
    if (!shutting_down.load()) log::info("background task finished", {{"task", name}});
    return;
  }
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    log::error("background task failed", {{"task", name}, {"error", ex.what()}});
  } catch (...) {
    log::error("background task failed", {{"task", name}});
  }
  // A consumer that died silently would leave a replica that looks healthy and
  // does nothing: stop, and let the orchestrator restart it.
  exit_code.store(1);
  if (!shutting_down.exchange(true)) asio::co_spawn(strand, shutdown_sequence(), asio::detached);
}

void App::Impl::wait_for_signal() {
  signals->async_wait([this](boost::system::error_code ec, int signo) {
    if (ec) return;  // cancelled at the end of shutdown
    // The signal's name goes in the message: log fields named like "sig" are redacted.
    std::string name = signo == SIGTERM ? "SIGTERM" : "SIGINT";
    if (shutting_down.exchange(true)) {
      log::info(name + " received while shutting down; still draining");
    } else {
      log::info(name + " received: shutting down");
      asio::co_spawn(strand, shutdown_sequence(), asio::detached);
    }
    wait_for_signal();
  });
}

asio::awaitable<void> App::Impl::shutdown_sequence() {
  try {
    co_await drain();
  } catch (const std::exception& e) {
    log::error("shutdown failed part-way; stopping anyway", {{"error", e.what()}});
  }
  if (signals) signals->cancel();
  log::info("stopped", {{"exit_code", exit_code.load()}});
  work.reset();
  io.stop();
}

asio::awaitable<void> App::Impl::drain() {
  auto deadline = Clock::now() + settings.shutdown_grace;
  log::info("shutting down", {{"grace_ms", settings.shutdown_grace.count()}});

  // 1. Drain the public port; hooks run alongside, under the same deadline.
  detail::TaskGroup hook_group(io, [](const std::string& name, std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      log::error("shutdown hook failed", {{"hook", name}, {"error", ex.what()}});
    } catch (...) {
      log::error("shutdown hook failed", {{"hook", name}});
    }
  });
  for (auto& [name, hook] : hooks) {
    try {
      hook_group.spawn(name, hook());
    } catch (const std::exception& e) {  // a hook that fails before its first co_await
      log::error("shutdown hook failed", {{"hook", name}, {"error", e.what()}});
    }
  }
  if (main) co_await main->stop(deadline);
  if (auto left = co_await hook_group.join(deadline, 1s); left > 0) {
    log::warn("shutdown hooks still running after cancellation", {{"hooks", left}});
  }

  // 2. Background tasks: cancelled, given a moment to unwind.
  background.cancel_all();
  if (auto left = co_await background.join(Clock::now() + 2s, 0ms); left > 0) {
    log::warn("background tasks still running after cancellation", {{"tasks", left}});
  }

  // 3. The admin port last: probes and the final scrape saw the shutdown.
  if (admin) co_await admin->stop(Clock::now() + 1s);
}

App::App(Context& ctx) {
  ctx.finish_config();
  impl_ = std::make_unique<Impl>(ctx.spec(), ctx.settings());
}

App::App(ServiceSpec spec, Settings settings) : impl_(std::make_unique<Impl>(std::move(spec), std::move(settings))) {}

App::~App() = default;

asio::io_context& App::io() { return impl_->io; }
metrics::Registry& App::metrics() { return impl_->registry; }

http::Router& App::router() {
  if (!impl_->router) throw std::logic_error("service " + impl_->spec.name + " has no public HTTP server");
  return *impl_->router;
}

void App::set_upgrade_handler(http::UpgradeHandler handler) { impl_->upgrade = std::move(handler); }

void App::add_readiness_check(std::string name, ReadinessCheck check, std::chrono::milliseconds timeout) {
  impl_->checks.push_back({std::move(name), std::move(check), timeout});
}

void App::on_shutdown(std::string name, ShutdownHook hook) { impl_->hooks.emplace_back(std::move(name), std::move(hook)); }

void App::spawn(std::string name, asio::awaitable<void> task) { impl_->background.spawn(std::move(name), std::move(task)); }

void App::start() {
  auto& d = *impl_;
  if (d.started) return;
  d.started = true;
  d.work.emplace(d.io.get_executor());
  // Signals first: from here on SIGTERM means a graceful stop, never a kill.
  d.signals.emplace(d.strand, SIGINT, SIGTERM);
  d.wait_for_signal();

  if (d.router) {
    d.main = std::make_unique<http::Server>(
        d.io, d.router->to_handler(),
        http::ServerOptions{.name = "main", .limits = d.settings.limits, .body_limits = d.router->body_limits(),
                            .metrics = &d.registry, .access_log = true});
    if (d.upgrade) d.main->set_upgrade_handler(d.upgrade);
    d.main->listen(d.settings.host, d.settings.port);
  }
  d.admin = std::make_unique<http::Server>(
      d.io, detail::admin_router(d.registry, d.checks, d.shutting_down).to_handler(),
      // Probes every few seconds would drown the access log; they are counted in metrics.
      http::ServerOptions{.name = "admin", .limits = admin_limits(), .metrics = &d.registry, .access_log = false});
  d.admin->listen(d.settings.admin_host, d.settings.admin_port);

  if (d.main) {
    log::info("started", {{"http", address(d.settings.host, d.main->port())},
                          {"admin", address(d.settings.admin_host, d.admin->port())},
                          {"threads", d.settings.threads}});
  } else {
    log::info("started", {{"admin", address(d.settings.admin_host, d.admin->port())}, {"threads", d.settings.threads}});
  }
}

int App::run() {
  start();
  auto& io = impl_->io;
  std::vector<std::thread> extra;
  for (int i = 1; i < impl_->settings.threads; ++i) extra.emplace_back([&io] { io.run(); });
  io.run();
  for (auto& t : extra) t.join();
  return impl_->exit_code.load();
}

void App::shutdown() {
  if (impl_->shutting_down.exchange(true)) return;
  asio::co_spawn(impl_->strand, impl_->shutdown_sequence(), asio::detached);
}

bool App::shutting_down() const { return impl_->shutting_down.load(); }
std::uint16_t App::port() const { return impl_->main ? impl_->main->port() : 0; }
std::uint16_t App::admin_port() const { return impl_->admin ? impl_->admin->port() : 0; }

}  // namespace marina::service
