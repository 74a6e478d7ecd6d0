#include "marina/tenants/service.hpp"

#include "admin_consumer.hpp"
#include "admin_presence.hpp"
#include "facts.hpp"
#include "marina/pg/pool.hpp"
#include "hosting.hpp"
#include "marina/store/event_store.hpp"
#include "nip86.hpp"
#include "nip86_auth.hpp"
#include "sql_sandbox.hpp"
#include "marina/passport/config.hpp"
#include "marina/platform/backends.hpp"
#include "marina/platform/health.hpp"
#include "marina/service/app.hpp"
#include "routes.hpp"
#include "settings.hpp"
#include "whoami.hpp"

namespace marina::tenants {

int run(service::Context& ctx) {
  auto backend_options = platform::declare_backends(ctx.config);
  const auto passport_secret = passport::declare_secret(ctx.config);
  const Settings settings = declare_settings(ctx.config);
  SqlSandboxSettings sandbox_settings = declare_sql_sandbox_settings(ctx.config);
  ctx.finish_config();
  service::App app(ctx);
  platform::Backends backends(app, backend_options);
  const passport::RequestCheck check{passport::Signer(passport_secret)};
  FactPublisher facts(backends.redis(), app.metrics());
  Hosting hosting(backends.db(), facts, settings, app.metrics());
  Policy policy(backends.db(), facts, app.metrics());
  store::EventStore events(backends.db());
  Nip86Auth nip86_auth(backends.db(), backends.redis(), settings);
  Nip86 nip86(backends.db(), policy, events);
  // The sql_query command's sandbox (its own connections, as the sandbox
  // role); the admin commands' dispatcher runs queries through it.
  SqlSandbox sql_sandbox(std::move(sandbox_settings), backend_options.db);

  // Admin commands over Nostr: a pool of their own (one connection per
  // worker, every statement bounded by ADMIN_COMMAND_TIMEOUT), so they never
  // take the API's connections, and the same Policy code on it.
  pg::PoolOptions admin_db_options = backend_options.db;
  admin_db_options.size = settings.admin.workers;
  admin_db_options.statement_timeout = settings.admin.command_timeout;
  pg::Pool admin_db(admin_db_options);
  Policy admin_policy(admin_db, facts, app.metrics());
  admin::RelayPresence presence(backends.redis(), settings.admin.presence_fresh);
  admin::Executor executor(
      admin::CommandEnv{admin_policy, admin_db, presence, {settings.admin.stats_kinds, settings.admin.stats_pubkeys},
                        sql_sandbox},
      admin::standard_commands(), backends.redis(),
      admin::ExecutorSettings{settings.master_key, settings.admin.replay_retention, settings.admin.events_maxlen},
      app.metrics());
  for (std::size_t i = 0; i < settings.admin.workers; ++i) {
    admin::ConsumerSettings worker{.consumer = admin::worker_name(i),
                                   .block = settings.admin.block,
                                   .claim_idle = settings.admin.claim_idle};
    app.spawn("admin-worker-" + std::to_string(i),
              admin::run_worker(backend_options.redis, backends.redis(), executor, std::move(worker)));
  }
  app.spawn("admin-replay-purge",
            admin::purge_replay_guard(admin_db, settings.admin.replay_retention, settings.admin.purge_interval));

  app.router().get("/healthz", platform::health_handler("tenants"));
  app.router().guard("/admin", check.admin_guard());
  app.router().get("/tenant/whoami", whoami_handler(check));
  add_tenant_routes(app.router(), hosting, check, settings);
  add_admin_routes(app.router(), hosting, check, settings);
  add_policy_routes(app.router(), policy, check);
  add_nip86_routes(app.router(), nip86_auth, nip86);
  add_data_routes(app.router(), hosting, check, settings, backends.db(), backends.redis());
  return app.run();
}

}  // namespace marina::tenants
