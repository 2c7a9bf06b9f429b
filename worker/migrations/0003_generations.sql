-- Image generations handed off from a voice session, and the event log their Server-Sent Events replay from.
CREATE TABLE generations (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  session_id TEXT,
  keywords TEXT NOT NULL,
  prompt TEXT NOT NULL,
  target TEXT NOT NULL CHECK (target IN ('sandbox', 'webhook', 'openai-images')),
  status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'error')),
  progress INTEGER NOT NULL DEFAULT 0,
  stage TEXT NOT NULL DEFAULT 'queued',
  error_code TEXT,
  -- The month whose allowance paid for it, and whether the unit went back: a refund happens at most once,
  -- whichever request (the dispatcher, a webhook callback, a stall check) ends the generation in error.
  quota_month TEXT NOT NULL,
  quota_refunded INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  completed_at TEXT
);
CREATE INDEX generations_tenant ON generations (tenant_id, created_at);

-- Append-only; seq counts from 1 per generation and is the SSE event id, so a client resumes with Last-Event-ID.
-- A rowid table on purpose: concept rows may hold inline images of a few hundred KB.
CREATE TABLE generation_events (
  generation_id TEXT NOT NULL REFERENCES generations (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('queued', 'progress', 'concept', 'done', 'error')),
  data TEXT NOT NULL DEFAULT '{}',
  at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY (generation_id, seq)
);
