import type { FlagChange, FlagHistoryEntry } from '../api-types.ts';
import type { Env } from '../env.ts';
import { ApiError } from '../errors.ts';
import { findCycle, type FlagConfig } from './evaluate.ts';

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

/** One flag's move from `before` to `after` (null: absent). */
interface Step {
  key: string;
  before: FlagConfig | null;
  after: FlagConfig | null;
}

interface WriteMeta {
  actor: string;
  note: string;
  rollbackOf?: number;
}

export interface WriteResult {
  flags: FlagConfig[];
  history: FlagHistoryEntry[];
}

/** Rounds to two decimals, so 12.5 and 12.50000000001 are the same stored rollout. */
export const normaliseRollout = (r: number) => Math.round(r * 100) / 100;

const sameConfig = (a: FlagConfig | null, b: FlagConfig | null) => JSON.stringify(configOf(a)) === JSON.stringify(configOf(b));
const configOf = (f: FlagConfig | null) =>
  f && { key: f.key, description: f.description, enabled: f.enabled, rollout: f.rollout, tenants: f.tenants, prerequisites: f.prerequisites, salt: f.salt };

function randomSalt(): string {
  return [...crypto.getRandomValues(new Uint8Array(8))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Applies a bulk change, validated as a whole against the current flags: all of it or nothing. */
export function applyFlagChanges(env: Env, changes: FlagChange[], meta: WriteMeta): Promise<WriteResult> {
  return commit(env, meta, (current, now) => {
    const problems: Array<{ path: string; message: string }> = [];
    const seen = new Set<string>();
    const steps: Step[] = [];
    changes.forEach((ch, i) => {
      const at = `changes.${i}`;
      if (seen.has(ch.key)) problems.push({ path: `${at}.key`, message: `"${ch.key}" appears more than once in this change` });
      seen.add(ch.key);
      const existing = current.get(ch.key) ?? null;
      let after: FlagConfig;
      if (ch.create) {
        if (existing) problems.push({ path: `${at}.key`, message: `flag "${ch.key}" already exists; drop create to change it` });
        if (ch.description === undefined) problems.push({ path: `${at}.description`, message: 'a new flag needs a description' });
        after = {
          key: ch.key,
          description: ch.description ?? '',
          enabled: ch.enabled ?? false,
          rollout: normaliseRollout(ch.rollout ?? 0),
          tenants: ch.tenants ?? [],
          prerequisites: ch.prerequisites ?? [],
          salt: randomSalt(),
          updatedAt: now,
          updatedBy: meta.actor,
        };
      } else if (!existing) {
        problems.push({ path: `${at}.key`, message: `unknown flag "${ch.key}" (send create: true with a description to add it)` });
        return;
      } else {
        after = {
          ...existing,
          ...(ch.description === undefined ? {} : { description: ch.description }),
          ...(ch.enabled === undefined ? {} : { enabled: ch.enabled }),
          ...(ch.rollout === undefined ? {} : { rollout: normaliseRollout(ch.rollout) }),
          ...(ch.tenants === undefined ? {} : { tenants: ch.tenants }),
          ...(ch.prerequisites === undefined ? {} : { prerequisites: ch.prerequisites }),
          updatedAt: now,
          updatedBy: meta.actor,
        };
      }
      steps.push({ key: ch.key, before: existing, after });
    });
    // Prerequisites are checked against the flags as they will be, so one bulk may add a flag and depend on it.
    const next = new Map(current);
    for (const s of steps) if (s.after) next.set(s.key, s.after);
    changes.forEach((ch, i) => {
      for (const pre of ch.prerequisites ?? []) {
        if (!next.has(pre)) problems.push({ path: `changes.${i}.prerequisites`, message: `unknown flag "${pre}"` });
      }
    });
    if (problems.length > 0) {
      throw new ApiError(400, 'invalid_request', `Invalid ${problems[0]!.path}: ${problems[0]!.message}`, problems);
    }
    return steps;
  });
}

/**
 * Puts a flag back to the `before` of one history entry: its whole configuration, exactly (only updatedAt/By say
 * who restored it and when). An entry that created the flag has no `before`: rolling it back deletes the flag,
 * unless another flag lists it as a prerequisite (409). The rollback is itself recorded, with rollbackOf.
 */
export async function rollbackFlag(env: Env, historyId: number, meta: Omit<WriteMeta, 'rollbackOf'>): Promise<WriteResult> {
  const row = await env.DB.prepare('SELECT * FROM flag_history WHERE id = ?').bind(historyId).first<HistoryRow>();
  if (!row) throw new ApiError(404, 'not_found', `History entry ${historyId} not found`);
  const entry = rowToEntry(row);
  return commit(env, { ...meta, rollbackOf: entry.id }, (current, now) => {
    const existing = current.get(entry.key) ?? null;
    if (!entry.before) {
      const dependents = [...current.values()].filter((f) => f.prerequisites.includes(entry.key)).map((f) => f.key);
      if (dependents.length > 0) {
        throw new ApiError(409, 'conflict', `Cannot remove "${entry.key}": ${dependents.join(', ')} depend${dependents.length === 1 ? 's' : ''} on it`, {
          dependents,
        });
      }
      return [{ key: entry.key, before: existing, after: null }];
    }
    return [{ key: entry.key, before: existing, after: { ...entry.before, updatedAt: now, updatedBy: meta.actor } }];
  });
}

const MAX_ATTEMPTS = 6;

/**
 * Reads a consistent snapshot (flags and the set's revision), lets `plan` compute the steps, validates the whole
 * resulting set, and writes it in one D1 batch that only applies if the revision is still the one read. A batch is
 * a transaction: the guarded history insert fails on a stale revision and nothing of the batch remains; the write is
 * then planned again on fresh state, so concurrent writers all land, in some order, each recorded against the exact
 * state it changed.
 */
async function commit(env: Env, meta: WriteMeta, plan: (current: Map<string, FlagConfig>, now: string) => Step[]): Promise<WriteResult> {
  for (let attempt = 1; ; attempt++) {
    const [revRes, flagsRes] = await env.DB.batch([
      env.DB.prepare('SELECT rev FROM flag_meta WHERE id = 1'),
      env.DB.prepare(SELECT_FLAGS),
    ]);
    const rev = (revRes!.results[0] as { rev: string } | undefined)?.rev ?? '';
    const current = new Map((flagsRes!.results as FlagRow[]).map((r) => [r.key, rowToFlag(r)]));
    const now = new Date().toISOString();
    const steps = plan(current, now).filter((s) => !sameConfig(s.before, s.after));
    if (steps.length === 0) return { flags: [...current.values()], history: [] };

    const next = new Map(current);
    for (const s of steps) {
      if (s.after) next.set(s.key, s.after);
      else next.delete(s.key);
    }
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
        ).bind(s.key, newRev, batch, meta.actor, now, json(s.before), json(s.after), meta.note, meta.rollbackOf ?? null),
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
        throw new ApiError(409, 'conflict', 'The flags kept changing while this change was applied; nothing was changed, try again');
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
  ).bind(f.key, f.description, f.enabled ? 1 : 0, f.rollout, JSON.stringify(f.tenants), JSON.stringify(f.prerequisites), f.salt, f.updatedAt, f.updatedBy);
}

/** The set as it would be after a write: every prerequisite must exist and none may lead back to its flag. */
function validateSet(next: Map<string, FlagConfig>): void {
  const dangling = [...next.values()].flatMap((f) =>
    f.prerequisites.filter((p) => !next.has(p)).map((p) => ({ path: `${f.key}.prerequisites`, message: `unknown flag "${p}"` })),
  );
  if (dangling.length > 0) throw new ApiError(400, 'invalid_request', `Invalid ${dangling[0]!.path}: ${dangling[0]!.message}`, dangling);
  const cycle = findCycle([...next.values()]);
  if (cycle) {
    throw new ApiError(400, 'prerequisite_cycle', `Prerequisites would form a cycle: ${cycle.join(' -> ')}`, { cycle });
  }
}

export interface HistoryQuery {
  key?: string;
  limit: number;
  /** The id of the last entry already seen; the page starts below it. */
  before?: number;
}

/** History newest first, one page; nextCursor is null on the last page. */
export async function flagHistory(env: Env, q: HistoryQuery): Promise<{ entries: FlagHistoryEntry[]; nextCursor: string | null }> {
  const { results } = await env.DB.prepare(
    `SELECT * FROM flag_history WHERE (?1 IS NULL OR key = ?1) AND (?2 IS NULL OR id < ?2) ORDER BY id DESC LIMIT ?3`,
  )
    .bind(q.key ?? null, q.before ?? null, q.limit + 1)
    .all<HistoryRow>();
  const page = results.slice(0, q.limit).map(rowToEntry);
  const more = results.length > q.limit;
  return { entries: page, nextCursor: more && page.length > 0 ? String(page[page.length - 1]!.id) : null };
}
