-- How many events each relay stores, kept by the database itself (issue #10:
-- the plan's max_stored_events cap; the admin statistics and monitoring read
-- it too, instead of counting a million rows).
--
-- Events are inserted by one statement only (libs/store write_statements.cpp,
-- kInsert), which adds to the counts from its own input arrays. Several paths
-- delete (replacement, NIP-09/NIP-62, the NIP-40 purge, rule deletions,
-- anything later), so deletions are counted by a statement-level trigger with
-- a transition table: one aggregate and one update per DELETE statement, not
-- per row, whoever deletes. (An INSERT trigger was measured: capturing every
-- new row, raw JSON included, in a transition table cost relay-ingest about
-- 7% of its throughput.)
--
-- Lock order: the insert and the trigger both touch the counters in relay_id
-- order, so two statements writing the same relays (a write batch and the
-- purge) cannot deadlock on them. The write path reads a relay's counter after its
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

CREATE TRIGGER events_count_deleted AFTER DELETE ON events
  REFERENCING OLD TABLE AS deleted_events_rows
  FOR EACH STATEMENT EXECUTE FUNCTION marina_count_deleted_events();
CREATE TRIGGER events_count_truncated AFTER TRUNCATE ON events
  FOR EACH STATEMENT EXECUTE FUNCTION marina_count_truncated_events();

-- The events already stored (the lock keeps writers out while they are counted).
LOCK TABLE events IN SHARE MODE;
INSERT INTO relay_event_counts (relay_id, stored)
SELECT relay_id, count(*) FROM events GROUP BY relay_id;
