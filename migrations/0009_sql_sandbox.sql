-- The sql_query sandbox (issue #11): a relay's admin runs read-only SQL over
-- their own relay's data under seed 004's table and view names, and nothing
-- else. Enforced by PostgreSQL, not by reading the query text:
--
--   * the sandbox logs in as its own role, marina_sql (never SET ROLE from a
--     privileged connection: the query could RESET ROLE), which has no grant
--     on any platform table and sees only the views of schema relay_sql;
--   * the views are owned by the migrating (privileged) role, are
--     security_barrier, and keep only the rows of the relay the session is
--     scoped to: sql_sandbox_scope, keyed by the sandbox connection's backend
--     pid and written by a privileged connection before each query. A GUC
--     would not do: the query could change it with set_config();
--   * each query runs in a READ ONLY transaction with a statement timeout,
--     as a cursor (so only a query, never a command, can run), and is rolled
--     back; then DISCARD ALL (services/tenants/src/sql_sandbox.cpp);
--   * the catalogue functions with side effects PUBLIC may call by default
--     (advisory locks, NOTIFY, large objects, signalling backends,
--     set_config, query_to_xml...) are revoked from PUBLIC below and granted
--     back to the role running this migration (the services' role).
--
-- The subscription lifecycle and broadcast logs behind subscription_events
-- and event_broadcasts are written by relay-query in batches, trimmed to a
-- bound per relay (services/relay-query/src/activity_log.cpp).
--
-- Also (end of file): what NIP-86 needs (a reason on rules, banned events)
-- and the audit log's door and result on relay_activity.

-- Which relay each sandbox session may see. Only the privileged role writes
-- it; marina_sql has no grant on it (the views read it as their owner).
CREATE TABLE sql_sandbox_scope (
  pid        integer     PRIMARY KEY,
  relay_id   uuid        NOT NULL REFERENCES relays (id),
  scoped_at  timestamptz NOT NULL DEFAULT now()
);

-- Subscription lifecycle (REQ opened, CLOSE, replaced, connection gone).
CREATE TABLE relay_subscription_log (
  id              bigserial PRIMARY KEY,
  relay_id        uuid      NOT NULL,
  subscription_id text      NOT NULL,
  client_id       text      NOT NULL,  -- relay-query's connection id (replica:number)
  client_ip       text      NOT NULL,
  event_type      text      NOT NULL CHECK (event_type IN ('created', 'closed', 'replaced', 'disconnected')),
  filter_json     text      NOT NULL DEFAULT '',
  created_at      bigint    NOT NULL  -- unix seconds
);
CREATE INDEX relay_subscription_log_relay ON relay_subscription_log (relay_id, id);

-- One row per live event delivered to a subscription.
CREATE TABLE relay_broadcast_log (
  id              bigserial PRIMARY KEY,
  relay_id        uuid      NOT NULL,
  event_id        text      NOT NULL,  -- hex
  subscription_id text      NOT NULL,
  client_id       text      NOT NULL,
  created_at      bigint    NOT NULL
);
CREATE INDEX relay_broadcast_log_relay ON relay_broadcast_log (relay_id, id);

-- NIP-86 carries a reason with bans and allows; the HTTP routes leave it ''.
ALTER TABLE relay_auth_rules ADD COLUMN reason text NOT NULL DEFAULT '' CHECK (length(reason) <= 500);

-- The role. Roles belong to the cluster, not the database: another database
-- of the same cluster (the tests make many) may have created it already.
-- LOGIN without a password here; a deployment with password authentication
-- sets one (ALTER ROLE marina_sql PASSWORD ..., see services/tenants/README.md)
-- and gives tenants SQL_SANDBOX_DATABASE_URL.
-- Two databases migrating at once (parallel tests) can both find the role
-- missing: the later CREATE then fails on the catalogue's unique index, which
-- only means the other one made it. The search_path is set for this
-- database only: a cluster-wide ALTER ROLE from two migrations at once
-- fails with "tuple concurrently updated".
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'marina_sql') THEN
    CREATE ROLE marina_sql LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS
      CONNECTION LIMIT 20;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;
END
$$;
DO $$
BEGIN
  EXECUTE format('ALTER ROLE marina_sql IN DATABASE %I SET search_path = relay_sql', current_database());
END
$$;

CREATE SCHEMA relay_sql;
GRANT USAGE ON SCHEMA relay_sql TO marina_sql;

-- The relay this session is scoped to; NULL (no rows anywhere) when none.
-- Uncorrelated, so each view evaluates it once (an InitPlan), and the event
-- tables' partition is pruned at run time.
CREATE VIEW relay_sql.events WITH (security_barrier) AS
SELECT encode(e.id, 'hex') AS id,
       encode(e.pubkey, 'hex') AS pubkey,
       e.created_at,
       e.kind,
       j.doc ->> 'content' AS content,
       (j.doc -> 'tags')::text AS tags,
       j.doc ->> 'sig' AS sig,
       e.d_tag,
       e.expires_at,
       e.raw
FROM public.events e
CROSS JOIN LATERAL (SELECT e.raw::json AS doc) j
WHERE e.relay_id = (SELECT s.relay_id FROM public.sql_sandbox_scope s WHERE s.pid = pg_backend_pid());

-- The keys the owner set (a key without a row is at its default; the
-- config_query command lists every key with its default).
CREATE VIEW relay_sql.config WITH (security_barrier) AS
SELECT c.key, c.value, extract(epoch FROM c.updated_at)::bigint AS updated_at
FROM public.relay_config c
WHERE c.relay_id = (SELECT s.relay_id FROM public.sql_sandbox_scope s WHERE s.pid = pg_backend_pid());

CREATE VIEW relay_sql.auth_rules WITH (security_barrier) AS
SELECT r.id, r.rule_type, r.pattern_type, r.pattern_value, r.action, r.reason,
       extract(epoch FROM r.created_at)::bigint AS created_at
FROM public.relay_auth_rules r
WHERE r.relay_id = (SELECT s.relay_id FROM public.sql_sandbox_scope s WHERE s.pid = pg_backend_pid());

CREATE VIEW relay_sql.subscription_events WITH (security_barrier) AS
SELECT l.id, l.subscription_id, l.client_id, l.client_ip, l.event_type, l.filter_json, l.created_at
FROM public.relay_subscription_log l
WHERE l.relay_id = (SELECT s.relay_id FROM public.sql_sandbox_scope s WHERE s.pid = pg_backend_pid());

CREATE VIEW relay_sql.event_broadcasts WITH (security_barrier) AS
SELECT b.id, b.event_id, b.subscription_id, b.client_id, b.created_at
FROM public.relay_broadcast_log b
WHERE b.relay_id = (SELECT s.relay_id FROM public.sql_sandbox_scope s WHERE s.pid = pg_backend_pid());

-- The views below are built on the scoped views above, so they inherit the
-- scope (a view over a security_barrier view keeps its barrier).
CREATE VIEW relay_sql.recent_events AS
SELECT * FROM relay_sql.events ORDER BY created_at DESC, id LIMIT 1000;

CREATE VIEW relay_sql.event_stats AS
SELECT kind, count(*) AS count, round(avg(octet_length(raw)))::bigint AS avg_size,
       min(created_at) AS earliest, max(created_at) AS latest
FROM relay_sql.events GROUP BY kind;

CREATE VIEW relay_sql.event_kinds_view AS
SELECT kind, count(*) AS count,
       round(100.0 * count(*) / sum(count(*)) OVER (), 1)::float8 AS percentage
FROM relay_sql.events GROUP BY kind;

CREATE VIEW relay_sql.top_pubkeys_view AS
SELECT pubkey, count(*) AS event_count,
       round(100.0 * count(*) / sum(count(*)) OVER (), 1)::float8 AS percentage
FROM relay_sql.events GROUP BY pubkey ORDER BY count(*) DESC, pubkey LIMIT 10;

CREATE VIEW relay_sql.time_stats_view AS
SELECT count(*) AS total,
       count(*) FILTER (WHERE created_at >= extract(epoch FROM now())::bigint - 86400) AS last_24h,
       count(*) FILTER (WHERE created_at >= extract(epoch FROM now())::bigint - 7 * 86400) AS last_7d,
       count(*) FILTER (WHERE created_at >= extract(epoch FROM now())::bigint - 30 * 86400) AS last_30d
FROM relay_sql.events;

-- Per day: subscriptions opened, distinct connections, subscriptions ended.
CREATE VIEW relay_sql.subscription_analytics AS
SELECT to_char(to_timestamp(created_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS date,
       count(*) FILTER (WHERE event_type = 'created') AS subscriptions_created,
       count(DISTINCT client_id) AS unique_clients,
       count(*) FILTER (WHERE event_type <> 'created') AS subscriptions_ended
FROM relay_sql.subscription_events GROUP BY 1;

-- Subscriptions whose last logged event is their creation. The log is
-- bounded and written every few seconds, so this is the recent picture.
CREATE VIEW relay_sql.active_subscriptions_log AS
SELECT subscription_id, client_id, client_ip, filter_json, created_at
FROM (SELECT l.*, row_number() OVER (PARTITION BY client_id, subscription_id ORDER BY id DESC) AS newest
      FROM relay_sql.subscription_events l) last
WHERE newest = 1 AND event_type = 'created';

GRANT SELECT ON ALL TABLES IN SCHEMA relay_sql TO marina_sql;

-- Functions PUBLIC may execute by default that write, signal, wait on or
-- hold something beyond the query, or run SQL given as text (query_to_xml
-- would run a statement the cursor rule never saw). Revoked from PUBLIC,
-- granted back to the role running the migrations (the services' role).
-- Only a superuser (the functions' owner) can do this: a migration run as
-- anyone else gets a WARNING per function and changes nothing, and the
-- sandbox refuses to run (it checks its own privileges on every new
-- connection) until a DBA runs these statements (services/tenants/README.md).
-- Also: dblink and adminpack, if an extension created them.
DO $$
DECLARE
  f regprocedure;
BEGIN
  FOR f IN
    SELECT p.oid::regprocedure FROM pg_proc p
    WHERE p.proname IN (
      'pg_advisory_lock', 'pg_advisory_lock_shared', 'pg_try_advisory_lock', 'pg_try_advisory_lock_shared',
      'pg_advisory_xact_lock', 'pg_advisory_xact_lock_shared', 'pg_try_advisory_xact_lock',
      'pg_try_advisory_xact_lock_shared', 'pg_advisory_unlock', 'pg_advisory_unlock_shared',
      'pg_advisory_unlock_all', 'pg_notify', 'set_config', 'pg_cancel_backend', 'pg_terminate_backend',
      'lo_create', 'lo_creat', 'lo_open', 'lo_close', 'loread', 'lowrite', 'lo_lseek', 'lo_lseek64', 'lo_tell',
      'lo_tell64', 'lo_truncate', 'lo_truncate64', 'lo_unlink', 'lo_import', 'lo_export', 'lo_from_bytea',
      'lo_put', 'lo_get', 'query_to_xml', 'query_to_xmlschema', 'query_to_xml_and_xmlschema',
      'cursor_to_xml', 'cursor_to_xmlschema', 'ts_stat', 'ts_rewrite', 'txid_current', 'pg_current_xact_id', 'pg_logical_emit_message',
      'pg_read_file', 'pg_read_binary_file', 'pg_ls_dir', 'pg_stat_file', 'pg_file_write', 'pg_file_rename',
      'pg_file_unlink', 'pg_file_sync', 'pg_logdir_ls')
      OR p.proname LIKE 'dblink%'
  LOOP
    EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
    EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO %I', f, current_user);
  END LOOP;
END
$$;

-- NIP-86 (the relay management API tenants serves on each relay's URL) and
-- the audit log of the three doors (HTTP routes, NIP-86, admin commands).

-- (relay_auth_rules.reason is added above, with the sandbox's auth_rules view.)

-- Events a relay's admin banned (NIP-86 banevent): the event itself is
-- deleted and tombstoned in deleted_events under its author (the write path
-- then refuses it); this row keeps the reason and the author, so allowevent
-- removes exactly that tombstone.
CREATE TABLE relay_banned_events (
  relay_id   uuid        NOT NULL REFERENCES relays (id),
  event_id   text        NOT NULL CHECK (event_id ~ '^[0-9a-f]{64}$'),
  author     text        NOT NULL CHECK (author ~ '^[0-9a-f]{64}$'),
  reason     text        NOT NULL DEFAULT '' CHECK (length(reason) <= 500),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (relay_id, event_id)
);

-- The audit log is relay_activity: which door an action came through, and
-- its result ('ok', or the error a refused action got). A relay's extra
-- admins (its admin_pubkeys) act as 'relay_admin' (0008 allows the role).
ALTER TABLE relay_activity ADD COLUMN door text NOT NULL DEFAULT 'http' CHECK (door IN ('http', 'nip86', 'nostr'));
ALTER TABLE relay_activity ADD COLUMN result text NOT NULL DEFAULT 'ok' CHECK (length(result) <= 1000);
