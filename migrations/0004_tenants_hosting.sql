-- The hosting API's own tables (issue #6, service `tenants`): each relay's
-- configuration as key/value rows, and the activity log billing bills from.
-- Tenant status is already on `tenants` (0001).

-- A relay's settings, one row per key. Seeded from the platform defaults when
-- the relay is created (in the same transaction); a later issue defines the
-- per-relay keys and their types, so the table stays generic: values are text,
-- interpreted by whoever owns the key.
CREATE TABLE relay_config (
  relay_id   uuid        NOT NULL REFERENCES relays (id),
  key        text        NOT NULL CHECK (key ~ '^[a-z][a-z0-9_]{0,63}$'),
  value      text        NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (relay_id, key)
);

CREATE TRIGGER relay_config_touch_updated_at
  BEFORE UPDATE ON relay_config
  FOR EACH ROW EXECUTE FUNCTION marina_touch_updated_at();

-- One row per write to a relay (created, updated, deactivated, reactivated,
-- suspended...), by the tenant or an admin. plan and status are the relay's
-- AFTER the write: billing bills from these snapshots, so they are copied,
-- never joined. Rows are only ever inserted.
CREATE TABLE relay_activity (
  id            bigserial   PRIMARY KEY,
  relay_id      uuid        NOT NULL REFERENCES relays (id),
  tenant_pubkey text        NOT NULL REFERENCES tenants (pubkey),
  actor_pubkey  text        NOT NULL CHECK (actor_pubkey ~ '^[0-9a-f]{64}$'),
  actor_role    text        NOT NULL CHECK (actor_role IN ('tenant', 'admin')),
  action        text        NOT NULL,
  plan          text        NOT NULL,
  status        text        NOT NULL,
  details       jsonb       NOT NULL DEFAULT '{}',
  created_at    timestamptz NOT NULL DEFAULT now()
);

-- GET /tenant/relays/:id/activity pages a relay's history in id order;
-- billing reads a tenant's history over a period.
CREATE INDEX relay_activity_relay ON relay_activity (relay_id, id);
CREATE INDEX relay_activity_tenant ON relay_activity (tenant_pubkey, created_at);

-- Listing pages in (created_at, key) order, filtered by status.
CREATE INDEX relays_created ON relays (created_at, id);
CREATE INDEX tenants_created ON tenants (created_at, pubkey);
