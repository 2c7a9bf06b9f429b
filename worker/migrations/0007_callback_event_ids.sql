-- A webhook callback names itself with an event id the tenant chooses (and keeps when it sends the same report
-- again). Each id is applied once per generation: the unique index turns a replay or a retry into a duplicate, even
-- when copies race. Events the Worker writes itself (queued, the dispatcher's progress) have none.
ALTER TABLE generation_events ADD COLUMN event_id TEXT;
CREATE UNIQUE INDEX generation_events_event_id ON generation_events (generation_id, event_id) WHERE event_id IS NOT NULL;
