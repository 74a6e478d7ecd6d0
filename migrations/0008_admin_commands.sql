-- Admin commands over Nostr (issue #11): kind 23456 events addressed to a
-- relay's key, executed by tenants (services/tenants/src/admin_*.cpp).

-- The replay guard: a request event id is executed at most once per relay.
-- tenants inserts the row (ON CONFLICT DO NOTHING) before anything else; a
-- request whose row already exists is a replay and is not executed again.
-- Rows older than ADMIN_REPLAY_RETENTION are purged, and tenants refuses
-- commands whose created_at is older than that, so a purged id cannot come
-- back to life.
CREATE TABLE admin_command_requests (
  relay_id     uuid        NOT NULL REFERENCES relays (id),
  request_id   text        NOT NULL CHECK (request_id ~ '^[0-9a-f]{64}$'),
  sender       text        NOT NULL CHECK (sender ~ '^[0-9a-f]{64}$'),
  received_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (relay_id, request_id)
);

-- The purge deletes by age.
CREATE INDEX admin_command_requests_received ON admin_command_requests (received_at);

-- An admin the relay's owner named (its admin_pubkeys configuration key) acts
-- on the owner's relay with the owner's rights, and the activity log says it
-- was them: a third actor role beside the owner ('tenant') and the
-- platform's admins ('admin').
ALTER TABLE relay_activity DROP CONSTRAINT relay_activity_actor_role_check;
ALTER TABLE relay_activity ADD CONSTRAINT relay_activity_actor_role_check
  CHECK (actor_role IN ('tenant', 'admin', 'relay_admin'));
