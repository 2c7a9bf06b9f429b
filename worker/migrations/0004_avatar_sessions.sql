-- Akool live-avatar sessions. Akool pre-charges credits for the whole duration and keeps a session open until it is
-- closed or its duration runs out, so every row is closed at Akool by the visitor (DELETE or beacon) or, failing
-- that, by the cron sweep. Times are ISO-8601 UTC strings written by the Worker, so they compare as text.
CREATE TABLE avatar_sessions (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  akool_id TEXT NOT NULL,
  uid TEXT,
  avatar_id TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'creating' CHECK (status IN ('creating', 'ready', 'ended', 'failed')),
  created_at TEXT NOT NULL,
  ready_at TEXT,
  -- created_at + duration: Akool ends the session by itself then.
  ends_at TEXT NOT NULL,
  ended_at TEXT,
  end_reason TEXT,
  duration_seconds INTEGER,
  -- Rate copied from the tenant's settings at creation, so a later change of rate does not reprice open sessions.
  cost_per_minute_usd REAL NOT NULL DEFAULT 0,
  estimated_cost_usd REAL,
  -- The month whose allowance paid for it: usage is reported by this month.
  quota_month TEXT NOT NULL,
  -- 1 once Akool confirmed the close (or said the session is gone). An ended row still at 0 is retried by the cron.
  akool_closed INTEGER NOT NULL DEFAULT 0 CHECK (akool_closed IN (0, 1))
);
CREATE INDEX avatar_sessions_tenant_month ON avatar_sessions (tenant_id, quota_month);
-- The sweep's question: which sessions may still be open at Akool.
CREATE INDEX avatar_sessions_open ON avatar_sessions (akool_closed, ends_at);
