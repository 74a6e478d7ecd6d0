-- NIP-50's GIN index, updated by every insert instead of through a pending list.
--
-- With GIN's default fastupdate, new entries wait in a per-index pending list,
-- and the insert that finds the list over gin_pending_list_limit merges all of
-- it into the index before it can return. Measured on the write path (2 cores,
-- 5,000 events/s): that insert took 50-100 ms, holding the one transaction every
-- queued event waits for, and it alone pushed the p99 EVENT->OK past 100 ms.
-- Updating the index directly costs no measurable throughput there (11.5k
-- events/s either way), spreads the work evenly, and searches no longer read a
-- pending list at all.
--
-- The events table is hash-partitioned (0003): the option is set on each
-- partition's index, and whatever is pending now is merged once.
DO $$
DECLARE
  r record;
BEGIN
  FOR r IN
    SELECT child.oid::regclass AS idx
    FROM pg_inherits i
    JOIN pg_class child ON child.oid = i.inhrelid
    WHERE i.inhparent = 'events_search'::regclass
  LOOP
    EXECUTE format('ALTER INDEX %s SET (fastupdate = off)', r.idx);
    PERFORM gin_clean_pending_list(r.idx);
  END LOOP;
END
$$;
