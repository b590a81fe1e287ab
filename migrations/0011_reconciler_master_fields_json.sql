-- A master's survived fields are rewritten by every batch that touches the master and read whole,
-- never searched through an index: json keeps the text as written, jsonb parses it on every write.
-- Updating 1,000 masters' fields at 100k persons took 65 ms, of which parsing the jsonb was 34 ms
-- (EXPLAIN ANALYZE and timed statements, docs/ARCHITECTURE.md). As 0009 did for source records.
ALTER TABLE "reconciler_masters" ALTER COLUMN "fields" SET DATA TYPE json USING "fields"::json;
