-- Moves every tenant off the Realtime models OpenAI shuts down on 2027-01-20 (openai 7.57 doc comments):
-- gpt-realtime and its snapshot and the 4o previews become gpt-realtime-2.1; the minis become gpt-realtime-2.1-mini.
-- allowed_models keeps its order, without duplicates. worker/realtime/models.ts holds the same table for the admin API.
-- The column defaults of 0001 still name gpt-realtime (SQLite cannot change a default in place): every insert names
-- its models (worker/tenants/store.ts, the demo seed in demo/local.mjs).
UPDATE tenants SET
  default_model = CASE
    WHEN default_model IN ('gpt-realtime', 'gpt-realtime-2025-08-28', 'gpt-4o-realtime-preview', 'gpt-4o-realtime-preview-2024-10-01',
      'gpt-4o-realtime-preview-2024-12-17', 'gpt-4o-realtime-preview-2025-06-03') THEN 'gpt-realtime-2.1'
    WHEN default_model IN ('gpt-realtime-mini', 'gpt-realtime-mini-2025-12-15', 'gpt-audio-mini', 'gpt-audio-mini-2025-12-15',
      'gpt-4o-mini-realtime-preview', 'gpt-4o-mini-realtime-preview-2024-12-17') THEN 'gpt-realtime-2.1-mini'
    ELSE default_model END,
  allowed_models = (
    SELECT json_group_array(model) FROM (
      SELECT model, MIN(position) AS first FROM (
        SELECT CAST(key AS INTEGER) AS position, CASE
          WHEN value IN ('gpt-realtime', 'gpt-realtime-2025-08-28', 'gpt-4o-realtime-preview', 'gpt-4o-realtime-preview-2024-10-01',
            'gpt-4o-realtime-preview-2024-12-17', 'gpt-4o-realtime-preview-2025-06-03') THEN 'gpt-realtime-2.1'
          WHEN value IN ('gpt-realtime-mini', 'gpt-realtime-mini-2025-12-15', 'gpt-audio-mini', 'gpt-audio-mini-2025-12-15',
            'gpt-4o-mini-realtime-preview', 'gpt-4o-mini-realtime-preview-2024-12-17') THEN 'gpt-realtime-2.1-mini'
          ELSE value END AS model
        FROM json_each(tenants.allowed_models)
      ) GROUP BY model ORDER BY first
    )
  ),
  updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
WHERE default_model IN ('gpt-realtime', 'gpt-realtime-2025-08-28', 'gpt-realtime-mini', 'gpt-realtime-mini-2025-12-15', 'gpt-audio-mini',
    'gpt-audio-mini-2025-12-15', 'gpt-4o-realtime-preview', 'gpt-4o-realtime-preview-2024-10-01', 'gpt-4o-realtime-preview-2024-12-17',
    'gpt-4o-realtime-preview-2025-06-03', 'gpt-4o-mini-realtime-preview', 'gpt-4o-mini-realtime-preview-2024-12-17')
  OR EXISTS (SELECT 1 FROM json_each(tenants.allowed_models) WHERE value IN ('gpt-realtime', 'gpt-realtime-2025-08-28', 'gpt-realtime-mini',
    'gpt-realtime-mini-2025-12-15', 'gpt-audio-mini', 'gpt-audio-mini-2025-12-15', 'gpt-4o-realtime-preview', 'gpt-4o-realtime-preview-2024-10-01',
    'gpt-4o-realtime-preview-2024-12-17', 'gpt-4o-realtime-preview-2025-06-03', 'gpt-4o-mini-realtime-preview', 'gpt-4o-mini-realtime-preview-2024-12-17'));

-- Hands-free calls created by the Worker (POST /v1/realtime/calls) record how they ended and what they used.
ALTER TABLE sessions ADD COLUMN ended_at TEXT;
ALTER TABLE sessions ADD COLUMN end_reason TEXT;
ALTER TABLE sessions ADD COLUMN input_tokens INTEGER;
ALTER TABLE sessions ADD COLUMN output_tokens INTEGER;
