-- Hosted relays: one row per relay a tenant created (issue #6 writes them,
-- the relay services read them through marina::store::RelayDirectory).

CREATE TABLE relays (
  id               uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_pubkey    text        NOT NULL REFERENCES tenants (pubkey),
  -- One DNS label directly under RELAY_DOMAIN, lower case (RFC 1035 letters,
  -- digits and inner hyphens, at most 63 characters).
  subdomain        text        NOT NULL UNIQUE
                   CHECK (subdomain ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
  name             text        NOT NULL DEFAULT '',
  description      text        NOT NULL DEFAULT '',
  plan             text        NOT NULL DEFAULT 'free',
  status           text        NOT NULL DEFAULT 'active'
                   CHECK (status IN ('active', 'inactive', 'suspended')),
  -- Why the relay is inactive or suspended; clients see it after "blocked: ".
  status_reason    text        NOT NULL DEFAULT '',
  -- The relay's own key pair: the public half is NIP-11's `pubkey`; the secret
  -- half is AES-256-GCM ciphertext under the master key (only tenants decrypts).
  relay_pubkey     text        NOT NULL CHECK (relay_pubkey ~ '^[0-9a-f]{64}$'),
  relay_secret_enc bytea       NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);

-- GET /tenant/relays lists a tenant's relays.
CREATE INDEX relays_tenant_pubkey ON relays (tenant_pubkey);

CREATE TRIGGER relays_touch_updated_at
  BEFORE UPDATE ON relays
  FOR EACH ROW EXECUTE FUNCTION marina_touch_updated_at();
