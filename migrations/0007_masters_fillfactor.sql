-- Masters are updated far more often than inserted: survived fields whenever a batch touches one,
-- then the publish cursor (at 100k persons, 535k updates of 169k masters, a third of them HOT).
-- Free room on every page lets an update that changes no indexed column stay on its page (HOT):
-- no new index entries, and the dead version is pruned on the next visit without a vacuum.
ALTER TABLE "reconciler_masters" SET (fillfactor = 60);
