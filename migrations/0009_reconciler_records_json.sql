-- A source record's payload and normalised form are written once per revision and read whole,
-- never searched inside through an index: json keeps the text as written, jsonb parses it into
-- its binary form on every write (bench write-floor at 100k persons: COPY of these rows 40 → 27 µs
-- per row). One ALTER, so the table is rewritten once.
ALTER TABLE "reconciler_source_records" ALTER COLUMN "payload" SET DATA TYPE json USING "payload"::json, ALTER COLUMN "normalised" SET DATA TYPE json USING "normalised"::json;
