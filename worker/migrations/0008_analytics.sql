-- Analytics rollups (issue 14), written only by the queue consumer (worker/analytics/consumer.ts). One row per tenant,
-- UTC day, hour and metric: a day is the sum of its hours, so the same table answers per day and per hour. Counters
-- add; histograms keep a count per fixed bucket (worker/analytics/buckets.ts), from which p50/p95 are read.
CREATE TABLE analytics_counters (
  tenant_id TEXT NOT NULL,
  day TEXT NOT NULL,
  hour INTEGER NOT NULL CHECK (hour BETWEEN 0 AND 23),
  metric TEXT NOT NULL,
  value REAL NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, day, hour, metric)
);
CREATE INDEX analytics_counters_day ON analytics_counters (day, tenant_id);

CREATE TABLE analytics_histograms (
  tenant_id TEXT NOT NULL,
  day TEXT NOT NULL,
  hour INTEGER NOT NULL CHECK (hour BETWEEN 0 AND 23),
  metric TEXT NOT NULL,
  -- Index into the metric's fixed bucket bounds.
  bucket INTEGER NOT NULL,
  count INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, day, hour, metric, bucket)
);
CREATE INDEX analytics_histograms_day ON analytics_histograms (day, tenant_id);

-- Alert episodes: opened by the cron when a threshold is crossed, closed when the metric is healthy again. At most
-- one open episode per tenant and metric ('' = all tenants), so the webhook goes out once per episode.
CREATE TABLE analytics_alerts (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  metric TEXT NOT NULL,
  value REAL NOT NULL,
  threshold REAL NOT NULL,
  opened_at TEXT NOT NULL,
  closed_at TEXT,
  notified_at TEXT
);
CREATE UNIQUE INDEX analytics_alerts_open ON analytics_alerts (tenant_id, metric) WHERE closed_at IS NULL;
CREATE INDEX analytics_alerts_opened ON analytics_alerts (opened_at);
