-- Every hosted relay's events (DESIGN.md "Storage"), written only by
-- marina::store::EventStore. Every statement on these tables is scoped to one
-- relay_id, which leads every key and every index, and is the hash partition
-- key (and the distribution column on Citus later).
--
-- Byte columns (ids, pubkeys) are bytea: half the size of hex and compared by
-- memcmp. Text that is only ever compared for equality uses COLLATE "C"
-- (byte order), which is both what NIP-01 means and much cheaper than a
-- linguistic collation in a btree.

CREATE EXTENSION IF NOT EXISTS btree_gin;

-- sha256 of a text's UTF-8 bytes, for the address index, where a collision
-- would be a unique violation (md5 collisions can be made to order).
-- textsend() is STABLE only because it depends on the database encoding,
-- which cannot change for an existing database, so this is safely IMMUTABLE
-- and usable in index expressions.
CREATE FUNCTION marina_text_sha256(v text) RETURNS bytea
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT sha256(textsend(v)) $$;

-- What the tag index holds for a tag value: the value itself up to 200 bytes,
-- else its md5 in hex. A btree entry must stay under ~2.7 kB and tag values
-- can be as long as an event. Queries look a value up by this key and then
-- compare the full value, so two long values sharing a key (md5 collides,
-- on purpose if someone wants) still cannot answer for each other.
-- Built-in functions only and not STRICT, so PostgreSQL inlines it: as an
-- index expression it is then evaluated in place, not as a SQL function call
-- per tag row. libs/store/src/stored_fields.cpp computes the same key.
CREATE FUNCTION event_tag_key(v text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT CASE WHEN octet_length(v) <= 200 THEN v ELSE md5(v) END $$;

CREATE TABLE events (
  relay_id   uuid    NOT NULL,
  id         bytea   NOT NULL,
  pubkey     bytea   NOT NULL,
  kind       integer NOT NULL,
  created_at bigint  NOT NULL,
  -- The address of a replaceable ('' ) or addressable (the `d` value) event
  -- together with pubkey and kind; NULL for every other kind.
  d_tag      text    COLLATE "C",
  -- NIP-40 expiration (unix seconds), NULL when the event does not expire.
  expires_at bigint,
  -- NIP-50: the content's distinct words, lower-cased, without positions
  -- (split by the store, see libs/store/src/search_lexemes.hpp). NULL for
  -- kinds whose content is ciphertext.
  tsv        tsvector,
  -- The event exactly as received; served as is, never re-serialized.
  raw        text    NOT NULL,
  PRIMARY KEY (relay_id, id)
) PARTITION BY HASH (relay_id);

-- Single-letter tags (the only ones NIP-01 filters can name): one row per
-- distinct (name, value) of an event, carrying kind and created_at so a tag
-- query is ordered and filtered by kind without touching the events.
--
-- No key of its own: its one index (event_tags_by_value) holds every column
-- that identifies a row, so when an event goes, the store deletes its tag
-- rows through that index from the tags in the event's raw JSON. A second
-- index by event_id would cost every tag of every write one more btree
-- insert (an eighth of the write path's time) for the rare deletions.
CREATE TABLE event_tags (
  relay_id   uuid    NOT NULL,
  event_id   bytea   NOT NULL,
  pos        integer NOT NULL,  -- index of the tag in the event's tags (the first, if repeated)
  name       text    COLLATE "C" NOT NULL,
  value      text    COLLATE "C" NOT NULL,
  kind       integer NOT NULL,
  created_at bigint  NOT NULL
) PARTITION BY HASH (relay_id);

DO $$
BEGIN
  FOR i IN 0..15 LOOP
    EXECUTE format('CREATE TABLE events_p%s PARTITION OF events FOR VALUES WITH (MODULUS 16, REMAINDER %s)', i, i);
    EXECUTE format('CREATE TABLE event_tags_p%s PARTITION OF event_tags FOR VALUES WITH (MODULUS 16, REMAINDER %s)', i, i);
  END LOOP;
END
$$;

-- Index per query shape. Every one ends in (created_at DESC, id) so a filter
-- pinned to one value of its leading columns reads rows already in the order
-- REQ answers in (newest first, ties by lowest id) and stops at the limit.
-- Those keys never repeat, so btree deduplication (tried on every full
-- page before it splits) is turned off: it could only cost.
-- A filter without ids/authors/kinds/tags (since/until only, or nothing).
CREATE INDEX events_by_time ON events (relay_id, created_at DESC, id) WITH (deduplicate_items = off);
-- kinds
CREATE INDEX events_by_kind ON events (relay_id, kind, created_at DESC, id) WITH (deduplicate_items = off);
-- authors
CREATE INDEX events_by_author ON events (relay_id, pubkey, created_at DESC, id) WITH (deduplicate_items = off);
-- authors with kinds (profiles, contact lists, an author's notes)
CREATE INDEX events_by_author_kind ON events (relay_id, pubkey, kind, created_at DESC, id)
  WITH (deduplicate_items = off);
-- One stored version per replaceable/addressable address; the write path
-- replaces under an advisory lock, so this is the proof, not the mechanism.
-- The d value is hashed: it can be longer than a btree entry may be.
CREATE UNIQUE INDEX events_address ON events (relay_id, pubkey, kind, marina_text_sha256(d_tag))
  WHERE d_tag IS NOT NULL;
-- NIP-40 purge: the few events that expire, across all relays.
CREATE INDEX events_expiring ON events (expires_at) WHERE expires_at IS NOT NULL;
-- NIP-50 search within one relay (btree_gin puts relay_id in the GIN key).
-- New entries wait in the index's pending list, which every search reads in
-- full until (auto)vacuum or an insert merges it: a smaller list than the
-- 4 MB default keeps that read short.
CREATE INDEX events_search ON events USING gin (relay_id, tsv) WITH (gin_pending_list_limit = 512)
  WHERE tsv IS NOT NULL;

-- #<letter> filters: by value, newest first. Also how an event's tag rows
-- are found when it is deleted.
CREATE INDEX event_tags_by_value ON event_tags (relay_id, name, event_tag_key(value), created_at DESC, event_id)
  WITH (deduplicate_items = off);

-- NIP-09 deletion by `e`: the deleted id and who asked. It blocks only an
-- event by that same pubkey (nobody can delete someone else's event, even
-- one the relay has not seen yet).
CREATE TABLE deleted_events (
  relay_id uuid  NOT NULL,
  id       bytea NOT NULL,
  pubkey   bytea NOT NULL,
  PRIMARY KEY (relay_id, id, pubkey)
);

-- NIP-09 deletion by `a`: every version of the address up to deleted_until
-- (the newest deletion's created_at) is gone and refused.
CREATE TABLE deleted_addresses (
  relay_id      uuid    NOT NULL,
  pubkey        bytea   NOT NULL,
  kind          integer NOT NULL,
  d_tag         text    COLLATE "C" NOT NULL,
  deleted_until bigint  NOT NULL
);
CREATE UNIQUE INDEX deleted_addresses_key ON deleted_addresses (relay_id, pubkey, kind, marina_text_sha256(d_tag));

-- NIP-62 request to vanish: everything by pubkey up to vanished_until is gone
-- and refused, and so are gift wraps (kind 1059) p-tagging it.
CREATE TABLE vanished_pubkeys (
  relay_id       uuid   NOT NULL,
  pubkey         bytea  NOT NULL,
  vanished_until bigint NOT NULL,
  PRIMARY KEY (relay_id, pubkey)
);
