-- Tenants: one row per customer site. JSON columns hold structured settings validated by the Worker.
CREATE TABLE tenants (
  id TEXT PRIMARY KEY,
  publishable_key TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
  allowed_origins TEXT NOT NULL DEFAULT '[]',
  branding TEXT NOT NULL DEFAULT '{}',
  persona TEXT NOT NULL DEFAULT '',
  allowed_modes TEXT NOT NULL DEFAULT '["webrtc","websocket","text"]',
  allowed_models TEXT NOT NULL DEFAULT '["gpt-realtime","gpt-realtime-mini"]',
  default_model TEXT NOT NULL DEFAULT 'gpt-realtime',
  voice TEXT NOT NULL DEFAULT 'marin',
  limits TEXT NOT NULL DEFAULT '{}',
  settings TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- Every admin write: who, when, what before and after.
CREATE TABLE admin_audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  before TEXT,
  after TEXT,
  at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX admin_audit_target ON admin_audit (target, id);

-- Voice sessions handed out (history; no content).
CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  mode TEXT NOT NULL,
  model TEXT,
  uid TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX sessions_tenant ON sessions (tenant_id, created_at);
