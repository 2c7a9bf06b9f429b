// The flags' D1 adapter: a short per-isolate cache for reads, and writes that plan with worker/flags/plan.ts on a
// consistent snapshot and commit in one guarded batch.
import type { FlagChange, FlagHistoryEntry } from '../api-types.ts';
import type { Env } from '../env.ts';
import { ApiError } from '../errors.ts';
import type { FlagConfig } from './evaluate.ts';
import { applySteps, changesConfig, planChanges, planRollback, validateSet, type FlagSet, type Step } from './plan.ts';

/**
 * Flags are read on every bootstrap and every guarded request, so each isolate keeps them for a few seconds.
 * A write through this module drops the copy at once in this isolate; other isolates see it within the TTL.
 */
export const FLAG_CACHE_TTL_MS = 5_000;
let cache: { flags: FlagConfig[]; at: number } | null = null;
let loading: Promise<FlagConfig[]> | null = null;
// A load that started before a write must not refill the cache with what it read before that write.
let generation = 0;

export function invalidateFlagCache(): void {
  cache = null;
  loading = null;
  generation++;
}

interface FlagRow {
  key: string;
  description: string;
  enabled: number;
  rollout: number;
  tenants: string;
  prerequisites: string;
  salt: string;
  updated_at: string;
  updated_by: string;
}

const rowToFlag = (r: FlagRow): FlagConfig => ({
  key: r.key,
  description: r.description,
  enabled: r.enabled === 1,
  rollout: r.rollout,
  tenants: JSON.parse(r.tenants) as string[],
  prerequisites: JSON.parse(r.prerequisites) as string[],
  salt: r.salt,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
});

const SELECT_FLAGS = 'SELECT * FROM flags ORDER BY key';

/** All flags, from this isolate's cache when it is fresh. */
export async function listFlags(env: Env): Promise<FlagConfig[]> {
  if (cache && Date.now() - cache.at < FLAG_CACHE_TTL_MS) return cache.flags;
  if (loading) return loading;
  const gen = generation;
  const pending = readFlags(env, gen).finally(() => {
    if (loading === pending) loading = null;
  });
  loading = pending;
  return pending;
}

/** All flags straight from D1 (the admin API reads these), refreshing the cache. */
export async function readFlags(env: Env, gen = generation): Promise<FlagConfig[]> {
  const { results } = await env.DB.prepare(SELECT_FLAGS).all<FlagRow>();
  const flags = results.map(rowToFlag);
  if (gen === generation) cache = { flags, at: Date.now() };
  return flags;
}

export type { FlagChange, FlagHistoryEntry };

interface HistoryRow {
  id: number;
  key: string;
  batch: string;
  actor: string;
  at: string;
  before: string | null;
  after: string | null;
  note: string;
  rollback_of: number | null;
}

const rowToEntry = (r: HistoryRow): FlagHistoryEntry => ({
  id: r.id,
  key: r.key,
  batch: r.batch,
  actor: r.actor,
  at: r.at,
  before: r.before === null ? null : (JSON.parse(r.before) as FlagConfig),
  after: r.after === null ? null : (JSON.parse(r.after) as FlagConfig),
  note: r.note,
  rollbackOf: r.rollback_of,
});

interface WriteMeta {
  actor: string;
  note: string;
  rollbackOf?: number;
}

export interface WriteResult {
  flags: FlagConfig[];
  history: FlagHistoryEntry[];
}

function randomSalt(): string {
  return [...crypto.getRandomValues(new Uint8Array(8))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Applies a bulk change, validated as a whole against the current flags: all of it or nothing. */
export function applyFlagChanges(env: Env, changes: FlagChange[], meta: WriteMeta): Promise<WriteResult> {
  return commit(env, meta, (current, now) =>
    planChanges(current, changes, { actor: meta.actor, now, newSalt: randomSalt }),
  );
}

/** Rolls a flag back to before one history entry (plan.ts, planRollback); the rollback is recorded with rollbackOf. */
export async function rollbackFlag(
  env: Env,
  historyId: number,
  meta: Omit<WriteMeta, 'rollbackOf'>,
): Promise<WriteResult> {
  const row = await env.DB.prepare('SELECT * FROM flag_history WHERE id = ?').bind(historyId).first<HistoryRow>();
  if (!row) throw new ApiError(404, 'not_found', `History entry ${historyId} not found`);
  const entry = rowToEntry(row);
  return commit(env, { ...meta, rollbackOf: entry.id }, (current, now) =>
    planRollback(current, entry, { actor: meta.actor, now }),
  );
}

const MAX_ATTEMPTS = 6;

/**
 * Reads a consistent snapshot (flags and the set's revision), lets `plan` compute the steps, validates the whole
 * resulting set, and writes it in one D1 batch that only applies if the revision is still the one read. A batch is
 * a transaction: the guarded history insert fails on a stale revision and nothing of the batch remains; the write is
 * then planned again on fresh state, so concurrent writers all land, in some order, each recorded against the exact
 * state it changed.
 */
async function commit(
  env: Env,
  meta: WriteMeta,
  plan: (current: FlagSet, now: string) => Step[],
): Promise<WriteResult> {
  for (let attempt = 1; ; attempt++) {
    const [revRes, flagsRes] = await env.DB.batch([
      env.DB.prepare('SELECT rev FROM flag_meta WHERE id = 1'),
      env.DB.prepare(SELECT_FLAGS),
    ]);
    const rev = (revRes!.results[0] as { rev: string } | undefined)?.rev ?? '';
    const current = new Map((flagsRes!.results as FlagRow[]).map((r) => [r.key, rowToFlag(r)]));
    const now = new Date().toISOString();
    const steps = plan(current, now).filter(changesConfig);
    if (steps.length === 0) return { flags: [...current.values()], history: [] };
    const next = applySteps(current, steps);
    validateSet(next);

    const newRev = crypto.randomUUID();
    const batch = crypto.randomUUID();
    const statements = [
      env.DB.prepare('UPDATE flag_meta SET rev = ? WHERE id = 1 AND rev = ?').bind(newRev, rev),
      ...steps.flatMap((s) => [
        // key is NOT NULL: when the revision is not ours, the sub-select is empty and the whole batch fails.
        env.DB.prepare(
          `INSERT INTO flag_history (key, batch, actor, at, before, after, note, rollback_of)
           VALUES ((SELECT ? FROM flag_meta WHERE id = 1 AND rev = ?), ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
        ).bind(
          s.key,
          newRev,
          batch,
          meta.actor,
          now,
          json(s.before),
          json(s.after),
          meta.note,
          meta.rollbackOf ?? null,
        ),
        s.after ? upsert(env, s.after) : env.DB.prepare('DELETE FROM flags WHERE key = ?').bind(s.key),
      ]),
    ];
    try {
      const results = await env.DB.batch(statements);
      invalidateFlagCache();
      const history = results.filter((_, i) => i > 0 && i % 2 === 1).map((r) => rowToEntry(r.results[0] as HistoryRow));
      return { flags: [...next.values()].sort((a, b) => (a.key < b.key ? -1 : 1)), history };
    } catch (e) {
      const latest = await env.DB.prepare('SELECT rev FROM flag_meta WHERE id = 1').first<{ rev: string }>();
      if (latest?.rev === rev) throw e; // not a lost race: a fault of ours, reported as one
      if (attempt >= MAX_ATTEMPTS) {
        throw new ApiError(
          409,
          'conflict',
          'The flags kept changing while this change was applied; nothing was changed, try again',
        );
      }
      await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
    }
  }
}

const json = (f: FlagConfig | null) => (f === null ? null : JSON.stringify(f));

function upsert(env: Env, f: FlagConfig) {
  return env.DB.prepare(
    `INSERT INTO flags (key, description, enabled, rollout, tenants, prerequisites, salt, updated_at, updated_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET description = excluded.description, enabled = excluded.enabled,
       rollout = excluded.rollout, tenants = excluded.tenants, prerequisites = excluded.prerequisites,
       salt = excluded.salt, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
  ).bind(
    f.key,
    f.description,
    f.enabled ? 1 : 0,
    f.rollout,
    JSON.stringify(f.tenants),
    JSON.stringify(f.prerequisites),
    f.salt,
    f.updatedAt,
    f.updatedBy,
  );
}

export interface HistoryQuery {
  key?: string;
  limit: number;
  /** The id of the last entry already seen; the page starts below it. */
  before?: number;
}

/** History newest first, one page; nextCursor is null on the last page. */
export async function flagHistory(
  env: Env,
  q: HistoryQuery,
): Promise<{ entries: FlagHistoryEntry[]; nextCursor: string | null }> {
  const { results } = await env.DB.prepare(
    `SELECT * FROM flag_history WHERE (?1 IS NULL OR key = ?1) AND (?2 IS NULL OR id < ?2) ORDER BY id DESC LIMIT ?3`,
  )
    .bind(q.key ?? null, q.before ?? null, q.limit + 1)
    .all<HistoryRow>();
  const page = results.slice(0, q.limit).map(rowToEntry);
  const more = results.length > q.limit;
  return { entries: page, nextCursor: more && page.length > 0 ? String(page[page.length - 1]!.id) : null };
}
