-- How many events each relay stores, kept by the database itself (issue #10:
-- the plan's max_stored_events cap; the admin statistics and monitoring read
-- it too, instead of counting a million rows).
--
-- Statement-level triggers on the partitioned events table, with transition
-- tables: one aggregate and one upsert per INSERT or DELETE statement, not
-- per row, and every path that adds or removes events (the write batch,
-- NIP-09/NIP-62 deletions, the NIP-40 purge, rule deletions, anything later)
-- is counted without knowing about it.
--
-- Lock order: both triggers touch the counters in relay_id order, so two
-- statements deleting from the same relays (a write batch and the purge)
-- cannot deadlock on them. The write path reads a relay's counter after its
-- advisory lock (libs/store write_batch.cpp); only other deleters can move it
-- meanwhile, and only down, so the cap it enforces is never exceeded by a
-- stale read.
--
-- No foreign key to relays: events has none either (the store never
-- re-checks a relay that the directory already resolved).
CREATE TABLE relay_event_counts (
  relay_id uuid   PRIMARY KEY,
  stored   bigint NOT NULL
);

CREATE FUNCTION marina_count_inserted_events() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO relay_event_counts AS c (relay_id, stored)
  SELECT relay_id, count(*) FROM inserted_events GROUP BY relay_id ORDER BY relay_id
  ON CONFLICT (relay_id) DO UPDATE SET stored = c.stored + excluded.stored;
  RETURN NULL;
END
$$;

CREATE FUNCTION marina_count_deleted_events() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  -- UPDATE ... FROM locks rows in whatever order its join produces: take
  -- the row locks in relay_id order first.
  PERFORM 1 FROM relay_event_counts
    WHERE relay_id IN (SELECT relay_id FROM deleted_events_rows) ORDER BY relay_id FOR UPDATE;
  UPDATE relay_event_counts c SET stored = greatest(c.stored - d.n, 0)
    FROM (SELECT relay_id, count(*) AS n FROM deleted_events_rows GROUP BY relay_id) d
    WHERE c.relay_id = d.relay_id;
  RETURN NULL;
END
$$;

CREATE FUNCTION marina_count_truncated_events() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM relay_event_counts;
  RETURN NULL;
END
$$;

CREATE TRIGGER events_count_inserted AFTER INSERT ON events
  REFERENCING NEW TABLE AS inserted_events
  FOR EACH STATEMENT EXECUTE FUNCTION marina_count_inserted_events();
CREATE TRIGGER events_count_deleted AFTER DELETE ON events
  REFERENCING OLD TABLE AS deleted_events_rows
  FOR EACH STATEMENT EXECUTE FUNCTION marina_count_deleted_events();
CREATE TRIGGER events_count_truncated AFTER TRUNCATE ON events
  FOR EACH STATEMENT EXECUTE FUNCTION marina_count_truncated_events();

-- The events already stored (the lock keeps writers out while they are counted).
LOCK TABLE events IN SHARE MODE;
INSERT INTO relay_event_counts (relay_id, stored)
SELECT relay_id, count(*) FROM events GROUP BY relay_id;
