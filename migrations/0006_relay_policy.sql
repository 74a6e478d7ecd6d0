-- Per-relay policy (issue #10): the plans and their limits, each relay's auth
-- rules, and relay_config (0004) cleared of the platform defaults that were
-- copied into it at creation. The configuration keys themselves are declared
-- in code (libs/relay config_keys.hpp); relay_config keeps only what an owner
-- set, and a missing row means the key's default.

-- The one definition of plans: tenants counts relays against max_relays and
-- refuses configuration above the caps; the relay services enforce the rest;
-- billing adds prices to this table. relays.plan names a row.
CREATE TABLE plans (
  id                    text        PRIMARY KEY CHECK (id ~ '^[a-z0-9-]{1,64}$'),
  name                  text        NOT NULL,
  max_relays            bigint      NOT NULL CHECK (max_relays >= 0),
  max_stored_events     bigint      NOT NULL CHECK (max_stored_events >= 0),
  -- Caps of max_connections (1-10000) and of max_total_subscriptions
  -- (100-50000) / max_subscriptions_per_client: not below those keys' minimums.
  max_connections       bigint      NOT NULL CHECK (max_connections >= 1),
  max_subscriptions     bigint      NOT NULL CHECK (max_subscriptions >= 100),
  max_events_per_minute bigint      NOT NULL CHECK (max_events_per_minute >= 1),
  max_whitelist_rules   bigint      NOT NULL CHECK (max_whitelist_rules >= 0),
  -- Named capabilities beyond the numbers; none is gated yet.
  features              text[]      NOT NULL DEFAULT '{}',
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now()
);

CREATE TRIGGER plans_touch_updated_at
  BEFORE UPDATE ON plans
  FOR EACH ROW EXECUTE FUNCTION marina_touch_updated_at();

-- max_relays as PLAN_MAX_RELAYS defaulted to before this table existed.
INSERT INTO plans (id, name, max_relays, max_stored_events, max_connections, max_subscriptions,
                   max_events_per_minute, max_whitelist_rules) VALUES
  ('free',     'Free',     1,     100000,   100,  1000,   600,    100),
  ('pro',      'Pro',      10,   5000000,  1000, 10000,  6000,  10000),
  ('business', 'Business', 100, 50000000, 10000, 50000, 60000, 100000);

-- A plan some relay already uses (a deployment that set PLAN_MAX_RELAYS
-- otherwise) is kept, with the free plan's limits, so the key below holds.
INSERT INTO plans (id, name, max_relays, max_stored_events, max_connections, max_subscriptions,
                   max_events_per_minute, max_whitelist_rules)
SELECT DISTINCT r.plan, r.plan, f.max_relays, f.max_stored_events, f.max_connections, f.max_subscriptions,
       f.max_events_per_minute, f.max_whitelist_rules
FROM relays r CROSS JOIN plans f
WHERE f.id = 'free' AND r.plan NOT IN (SELECT id FROM plans);

ALTER TABLE relays ADD CONSTRAINT relays_plan_fkey FOREIGN KEY (plan) REFERENCES plans (id);

-- Whitelist/blacklist rules (seed 004's auth_query fields). pattern_value is
-- canonical (libs/relay auth_rules.hpp), so one pattern is one row; action
-- follows from rule_type.
CREATE TABLE relay_auth_rules (
  id            bigserial   PRIMARY KEY,
  relay_id      uuid        NOT NULL REFERENCES relays (id),
  rule_type     text        NOT NULL CHECK (rule_type IN ('whitelist', 'blacklist')),
  pattern_type  text        NOT NULL CHECK (pattern_type IN ('pubkey', 'kind', 'ip')),
  pattern_value text        NOT NULL,
  action        text        GENERATED ALWAYS AS (CASE rule_type WHEN 'whitelist' THEN 'allow' ELSE 'deny' END) STORED,
  created_at    timestamptz NOT NULL DEFAULT now(),
  -- CASE, not AND/OR: only CASE fixes the order, and a cast must not see
  -- another type's pattern (a malformed ip pattern fails the cast itself).
  CONSTRAINT relay_auth_rules_pattern CHECK (CASE pattern_type
    WHEN 'pubkey' THEN pattern_value ~ '^[0-9a-f]{64}$'
    WHEN 'kind' THEN CASE WHEN pattern_value ~ '^(0|[1-9][0-9]{0,4})$' THEN pattern_value::int <= 65535 ELSE false END
    ELSE pattern_value::inet IS NOT NULL END),
  -- Also the index of a relay's rules (the relay services load them by relay).
  CONSTRAINT relay_auth_rules_unique UNIQUE (relay_id, rule_type, pattern_type, pattern_value)
);

-- 0004-era creation copied platform defaults into every relay's
-- configuration under these keys; no route ever wrote them. Most are not
-- configuration keys at all, and the rest are now the defaults themselves.
DELETE FROM relay_config
WHERE key IN ('max_message_length', 'max_subscriptions', 'max_filters', 'max_limit', 'default_limit',
              'max_subid_length', 'max_event_tags', 'max_content_length', 'created_at_lower_limit',
              'created_at_upper_limit');

-- Why an admin suspended a tenant: the words every EVENT to its relays is
-- refused with ("blocked: <reason>"). A tenant's suspension overlays its
-- relays (their own status is left as it was), so restoring the tenant
-- restores exactly what the suspension stopped.
ALTER TABLE tenants ADD COLUMN status_reason text NOT NULL DEFAULT '' CHECK (length(status_reason) <= 500);
