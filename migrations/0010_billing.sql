-- Billing, part 1 (issue #13, service `billing`): plan prices, the invoices
-- billed from tenants' activity log, and what the billing jobs need to bill
-- each activity exactly once. Payments (NIP-47) come later.
--
-- billing only reads tenants' tables (tenants, relays, relay_activity); it
-- writes its own tables below and the prices and limits of `plans`.

-- The monthly price of a plan, in millisatoshis (free = 0). The upper bound
-- (10^15 msats, 10,000 BTC) keeps price * seconds of a month far inside a
-- bigint, whatever the admin types.
ALTER TABLE plans ADD COLUMN price_msats bigint NOT NULL DEFAULT 0
  CHECK (price_msats >= 0 AND price_msats <= 1000000000000000);
UPDATE plans SET price_msats = 10000 * 1000 WHERE id = 'pro';        -- 10,000 sats a month
UPDATE plans SET price_msats = 50000 * 1000 WHERE id = 'business';   -- 50,000 sats a month

-- A tenant that ever had a paid relay. Its periods are anchor_at + k calendar
-- months (k = 0, 1, ...), each computed from the anchor (see the billing
-- README for short months). accrued_through: the history is billed up to
-- here; an activity that commits later with an older time counts from here.
CREATE TABLE billing_accounts (
  tenant_pubkey   text        PRIMARY KEY REFERENCES tenants (pubkey),
  anchor_at       timestamptz NOT NULL,
  accrued_through timestamptz NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now()
);

-- One invoice per tenant and period. draft: the period accruing now (one per
-- tenant); open: closed, amount_due_msats to pay; paid; void. Totals are
-- written at closing; while draft they are the sums of the items.
CREATE TABLE invoices (
  id                    uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_pubkey         text        NOT NULL REFERENCES billing_accounts (tenant_pubkey),
  period_index          integer     NOT NULL CHECK (period_index >= 0),
  period_start          timestamptz NOT NULL,
  period_end            timestamptz NOT NULL CHECK (period_end > period_start),
  status                text        NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'paid', 'void')),
  charges_msats         bigint      NOT NULL DEFAULT 0 CHECK (charges_msats >= 0),
  credits_msats         bigint      NOT NULL DEFAULT 0 CHECK (credits_msats >= 0),
  -- At closing: max(0, charges - credits), and the credit left over, which
  -- the next draft receives as a 'carry' credit item.
  amount_due_msats      bigint      NOT NULL DEFAULT 0 CHECK (amount_due_msats >= 0),
  carried_forward_msats bigint      NOT NULL DEFAULT 0 CHECK (carried_forward_msats >= 0),
  opened_at             timestamptz,
  paid_at               timestamptz,
  -- nothing-due (closed at 0), out-of-band (an admin marked it); payments later.
  paid_via              text        CHECK (paid_via IN ('nothing-due', 'out-of-band')),
  paid_by               text        CHECK (paid_by ~ '^[0-9a-f]{64}$'),
  voided_at             timestamptz,
  voided_by             text        CHECK (voided_by ~ '^[0-9a-f]{64}$'),
  note                  text        NOT NULL DEFAULT '' CHECK (length(note) <= 500),
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_pubkey, period_index)
);

CREATE TRIGGER invoices_touch_updated_at
  BEFORE UPDATE ON invoices
  FOR EACH ROW EXECUTE FUNCTION marina_touch_updated_at();

-- One draft per tenant, whoever writes: the proof, not the mechanism (the
-- jobs hold the tenant's advisory lock).
CREATE UNIQUE INDEX invoices_one_draft ON invoices (tenant_pubkey) WHERE status = 'draft';
-- The closing job finds the drafts whose period has ended.
CREATE INDEX invoices_draft_end ON invoices (period_end) WHERE status = 'draft';
-- Tenant lists (newest first) and the admin list (filter by status).
CREATE INDEX invoices_tenant ON invoices (tenant_pubkey, period_start DESC, id);
CREATE INDEX invoices_listing ON invoices (created_at DESC, id);

-- The lines of an invoice. source activity: one relay_activity row (UNIQUE:
-- recomputing never bills one twice); period: a relay's full month at its
-- period start (one per relay and invoice); carry: the credit carried from
-- the previous invoice (one per invoice).
CREATE TABLE invoice_items (
  id           bigserial   PRIMARY KEY,
  invoice_id   uuid        NOT NULL REFERENCES invoices (id),
  kind         text        NOT NULL CHECK (kind IN ('charge', 'credit')),
  source       text        NOT NULL CHECK (source IN ('activity', 'period', 'carry')),
  activity_id  bigint      UNIQUE REFERENCES relay_activity (id),
  relay_id     uuid        REFERENCES relays (id),
  plan         text,
  amount_msats bigint      NOT NULL CHECK (amount_msats > 0),
  description  text        NOT NULL,
  -- The instant the item bills from (the activity's billed time, or the period start).
  billed_at    timestamptz NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  CHECK ((source = 'activity') = (activity_id IS NOT NULL)),
  CHECK (source = 'carry' OR relay_id IS NOT NULL)
);

CREATE INDEX invoice_items_invoice ON invoice_items (invoice_id, id);
CREATE UNIQUE INDEX invoice_items_one_period_charge ON invoice_items (invoice_id, relay_id) WHERE source = 'period';
CREATE UNIQUE INDEX invoice_items_one_carry ON invoice_items (invoice_id) WHERE source = 'carry';

-- What billing last billed each relay as: the price charged for the current
-- period (0 when not billable), so a change credits exactly what was charged.
CREATE TABLE billing_relays (
  relay_id      uuid        PRIMARY KEY REFERENCES relays (id),
  tenant_pubkey text        NOT NULL REFERENCES tenants (pubkey),
  plan          text        NOT NULL,
  status        text        NOT NULL,
  price_msats   bigint      NOT NULL CHECK (price_msats >= 0),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX billing_relays_tenant ON billing_relays (tenant_pubkey);

-- Every relay_activity row billing has consumed, item or not (a rename
-- bills nothing but is consumed all the same), written in the transaction
-- that billed it.
CREATE TABLE billing_seen_activity (
  activity_id bigint      PRIMARY KEY REFERENCES relay_activity (id),
  seen_at     timestamptz NOT NULL DEFAULT now()
);

-- Per job: the database time of the last complete scan for new activity
-- (the next scan looks back BILLING_ACTIVITY_LOOKBACK before it), runs.
CREATE TABLE billing_jobs (
  job         text        PRIMARY KEY,
  scanned_to  timestamptz,
  last_run_at timestamptz,
  runs        bigint      NOT NULL DEFAULT 0
);

-- The activity scan reads relay_activity by time across tenants.
CREATE INDEX relay_activity_created ON relay_activity (created_at);
