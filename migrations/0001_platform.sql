-- 0001: the platform's first table, and a helper later tables reuse.
-- Relays, invoices and events come in later migrations. The runner keeps its
-- own bookkeeping (schema_migrations); it is not created here.

-- Keeps updated_at honest whatever code path updates a row.
CREATE FUNCTION marina_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END
$$;

-- One row per Nostr identity that has used the platform (GET /tenant fetches
-- or creates it). An admin can suspend a tenant (PUT /admin/tenants/:pubkey).
CREATE TABLE tenants (
  pubkey     text PRIMARY KEY CHECK (pubkey ~ '^[0-9a-f]{64}$'),  -- hex, as NIP-98 gives it
  status     text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TRIGGER tenants_touch_updated_at
  BEFORE UPDATE ON tenants
  FOR EACH ROW EXECUTE FUNCTION marina_touch_updated_at();
