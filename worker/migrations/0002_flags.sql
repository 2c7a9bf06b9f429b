-- Feature flags, evaluated per unit (uid, else tenant) by worker/flags/evaluate.ts.
CREATE TABLE flags (
  key TEXT PRIMARY KEY,
  description TEXT NOT NULL DEFAULT '',
  enabled INTEGER NOT NULL DEFAULT 0 CHECK (enabled IN (0, 1)),
  -- Percentage with at most two decimals (the Worker validates the decimals), i.e. buckets out of 10,000.
  rollout REAL NOT NULL DEFAULT 0 CHECK (rollout >= 0 AND rollout <= 100),
  tenants TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tenants)),
  prerequisites TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(prerequisites)),
  -- Fixed for the flag's life: changing it would re-bucket every unit.
  salt TEXT NOT NULL,
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_by TEXT NOT NULL DEFAULT 'migration'
);

-- One revision for the whole flag set. Every write replaces it only if it still holds the value the writer read,
-- so two concurrent writes cannot both apply on the same snapshot (the loser retries on fresh state). Validation
-- (prerequisites, cycles) spans several flags, which is why the guard covers the set rather than a row.
CREATE TABLE flag_meta (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  rev TEXT NOT NULL
);
INSERT INTO flag_meta (id, rev) VALUES (1, 'seed');

-- Every write to a flag, one row per flag changed. before/after are the whole flag (JSON); before is null when the
-- write created the flag, after is null when it removed it. batch groups the rows of one request.
CREATE TABLE flag_history (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  key TEXT NOT NULL,
  batch TEXT NOT NULL,
  actor TEXT NOT NULL,
  at TEXT NOT NULL,
  before TEXT,
  after TEXT,
  note TEXT NOT NULL,
  rollback_of INTEGER
);
CREATE INDEX flag_history_key ON flag_history (key, id);

INSERT INTO flags (key, description, enabled, rollout, salt) VALUES
  ('voice.webrtc', 'Hands-free voice over WebRTC straight to OpenAI (ephemeral key).', 1, 100, '4de2c66ebc9cc254'),
  ('voice.websocket', 'Push-to-talk voice through the Worker''s WebSocket relay.', 1, 100, '355f1abef87a795f'),
  ('voice.text', 'Typed conversation through the relay (no microphone).', 1, 100, '167ac946c564a9ed'),
  ('avatar', 'Talking avatar (Akool over Agora) beside the conversation.', 1, 100, 'c3c5219a9fba9721'),
  ('keywords.handoff', 'Hand the collected design keywords to the image generator.', 1, 100, 'c7052e7b57015ca5'),
  ('tts', 'Server-side text-to-speech (ElevenLabs) for spoken replies.', 1, 100, '243440f513304b5f');
