import type { ServerEvent } from '../analytics/events.ts';
import { recordTenant } from '../analytics/record.ts';
import { reasonCode } from '../analytics/usage.ts';
import type { Keywords } from '../../widget/keywords/types.ts';
import type { Env } from '../env.ts';
import { limitsStub } from '../limits/quota.ts';

export const TARGETS = ['sandbox', 'webhook', 'openai-images'] as const;
export type Target = (typeof TARGETS)[number];
export type GenerationStatus = 'queued' | 'running' | 'done' | 'error';
export type EventType = 'queued' | 'progress' | 'concept' | 'done' | 'error';

export interface GenerationRow {
  id: string;
  tenant_id: string;
  session_id: string | null;
  keywords: string;
  prompt: string;
  target: Target;
  status: GenerationStatus;
  progress: number;
  stage: string;
  error_code: string | null;
  quota_month: string;
  quota_refunded: number;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
}

export interface EventRow {
  seq: number;
  type: EventType;
  data: string;
}

export interface Concept {
  index: number;
  imageUrl: string;
  alt: string;
}

export const isTerminal = (status: string) => status === 'done' || status === 'error';

const NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

/** The generation row and its first event, together, so an event stream never sees one without the other. */
export async function createGeneration(
  env: Env,
  g: {
    id: string;
    tenantId: string;
    sessionId: string | null;
    keywords: Keywords;
    prompt: string;
    target: Target;
    quotaMonth: string;
  },
): Promise<void> {
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO generations (id, tenant_id, session_id, keywords, prompt, target, quota_month) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).bind(g.id, g.tenantId, g.sessionId, JSON.stringify(g.keywords), g.prompt, g.target, g.quotaMonth),
    env.DB.prepare(`INSERT INTO generation_events (generation_id, seq, type, data) VALUES (?, 1, 'queued', ?)`).bind(
      g.id,
      JSON.stringify({ stage: 'queued', target: g.target }),
    ),
  ]);
}

/**
 * Appends one event and moves the row's status with it, in one transaction. The next seq is computed inside the
 * INSERT, so concurrent writers (the dispatcher in one isolate, webhook callbacks in others) never collide, and
 * nothing is appended after done or error. Returns the event's seq, or null when the generation had already ended.
 */
export async function appendEvent(
  env: Env,
  id: string,
  type: Exclude<EventType, 'queued'>,
  data: Record<string, unknown>,
): Promise<number | null> {
  return insertEvent(env, id, type, data, null, null);
}

/**
 * The same with a callback's event id and the cap on events: both are decided inside the INSERT, so neither a race
 * nor a replay gets around them. A second event with the same id breaks the unique index and rolls the whole batch
 * back (the status update with it); the cap leaves room for the final done or error.
 */
async function insertEvent(
  env: Env,
  id: string,
  type: Exclude<EventType, 'queued'>,
  data: Record<string, unknown>,
  eventId: string | null,
  maxEvents: number | null,
): Promise<number | null> {
  const percent = type === 'progress' ? (data.percent as number) : null;
  const stage = type === 'progress' ? (data.stage as string) : type === 'done' || type === 'error' ? type : null;
  const errorCode = type === 'error' ? (data.code as string) : null;
  const cap = type === 'done' || type === 'error' ? null : maxEvents;
  const [inserted, updated] = await env.DB.batch<{ seq: number }>([
    env.DB.prepare(
      `INSERT INTO generation_events (generation_id, seq, type, data, event_id)
       SELECT ?1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM generation_events WHERE generation_id = ?1), ?2, ?3, ?4
       WHERE EXISTS (SELECT 1 FROM generations WHERE id = ?1 AND status IN ('queued', 'running'))
         AND (?5 IS NULL OR (SELECT COALESCE(MAX(seq), 0) FROM generation_events WHERE generation_id = ?1) < ?5)
       RETURNING seq`,
    ).bind(id, type, JSON.stringify(data), eventId, cap),
    env.DB.prepare(
      `UPDATE generations SET
         status = CASE WHEN ?2 IN ('done', 'error') THEN ?2 ELSE 'running' END,
         progress = CASE WHEN ?2 = 'done' THEN 100 ELSE COALESCE(?3, progress) END,
         stage = COALESCE(?4, stage),
         error_code = COALESCE(?5, error_code),
         updated_at = ${NOW},
         completed_at = CASE WHEN ?2 IN ('done', 'error') THEN ${NOW} ELSE completed_at END
       WHERE id = ?1 AND status IN ('queued', 'running')
         AND (?6 IS NULL OR EXISTS (SELECT 1 FROM generation_events WHERE generation_id = ?1 AND event_id = ?6))
       RETURNING tenant_id, created_at`,
    ).bind(id, type, percent, stage, errorCode, eventId),
  ]);
  const seq = inserted?.results[0]?.seq ?? null;
  const row = (updated?.results[0] ?? null) as { tenant_id: string; created_at: string } | null;
  if (seq !== null && row) await recordGenerationFact(env, row, type, data);
  return seq;
}

/** Analytics: a generation's end, and the time to its first concept (every writer of events comes through here). */
async function recordGenerationFact(
  env: Env,
  row: { tenant_id: string; created_at: string },
  type: Exclude<EventType, 'queued'>,
  data: Record<string, unknown>,
): Promise<void> {
  const ms = Math.max(0, Date.now() - Date.parse(row.created_at.endsWith('Z') ? row.created_at : `${row.created_at}Z`));
  const fact: ServerEvent | null =
    type === 'done'
      ? { name: 'generation_done', ms: Number.isFinite(ms) ? ms : undefined, images: Number(data.concepts) || 0 }
      : type === 'error'
        ? { name: 'generation_failed', code: typeof data.code === 'string' ? reasonCode(data.code) : 'unknown' }
        : type === 'concept' && data.index === 0 && Number.isFinite(ms)
          ? { name: 'generation_first_concept', ms }
          : null;
  if (fact) await recordTenant(env, row.tenant_id, fact).catch(() => {});
}

/** What became of a callback's event: applied now, applied before (same event id), or refused and why. */
export type CallbackOutcome =
  | { kind: 'applied'; seq: number }
  | { kind: 'duplicate'; seq: number }
  | { kind: 'finished'; status: string }
  | { kind: 'full' };

async function seqOfEvent(env: Env, id: string, eventId: string): Promise<number | null> {
  const row = await env.DB.prepare('SELECT seq FROM generation_events WHERE generation_id = ? AND event_id = ?')
    .bind(id, eventId)
    .first<{ seq: number }>();
  return row?.seq ?? null;
}

const isUniqueViolation = (e: unknown) => /UNIQUE constraint failed/i.test((e as Error)?.message ?? '');

/** Applies a webhook callback's event once per event id; an error gives the unit back as failGeneration does. */
export async function appendCallbackEvent(
  env: Env,
  id: string,
  eventId: string,
  type: Exclude<EventType, 'queued'>,
  data: Record<string, unknown>,
  maxEvents: number,
): Promise<CallbackOutcome> {
  const before = await seqOfEvent(env, id, eventId);
  if (before !== null) return { kind: 'duplicate', seq: before };
  let seq: number | null;
  try {
    seq = await insertEvent(env, id, type, data, eventId, maxEvents);
  } catch (e) {
    const raced = isUniqueViolation(e) ? await seqOfEvent(env, id, eventId) : null;
    if (raced === null) throw e;
    return { kind: 'duplicate', seq: raced };
  }
  if (seq !== null) {
    if (type === 'error') await refundIfNothingMade(env, id);
    return { kind: 'applied', seq };
  }
  // Refused: but a copy racing this one may have been applied meanwhile (and ended the generation), and then this
  // one is its duplicate, not a refusal.
  const raced = await seqOfEvent(env, id, eventId);
  if (raced !== null) return { kind: 'duplicate', seq: raced };
  const g = await getGeneration(env, id);
  return !g || isTerminal(g.status) ? { kind: 'finished', status: g?.status ?? 'done' } : { kind: 'full' };
}

export async function getGeneration(env: Env, id: string, tenantId?: string): Promise<GenerationRow | null> {
  const sql = tenantId
    ? 'SELECT * FROM generations WHERE id = ? AND tenant_id = ?'
    : 'SELECT * FROM generations WHERE id = ?';
  const stmt = env.DB.prepare(sql);
  return (tenantId ? stmt.bind(id, tenantId) : stmt.bind(id)).first<GenerationRow>();
}

export async function eventsAfter(env: Env, id: string, afterSeq: number, limit = 50): Promise<EventRow[]> {
  const { results } = await env.DB.prepare(
    'SELECT seq, type, data FROM generation_events WHERE generation_id = ? AND seq > ? ORDER BY seq LIMIT ?',
  )
    .bind(id, afterSeq, limit)
    .all<EventRow>();
  return results;
}

export async function lastSeq(env: Env, id: string): Promise<number> {
  const row = await env.DB.prepare('SELECT MAX(seq) AS seq FROM generation_events WHERE generation_id = ?')
    .bind(id)
    .first<{ seq: number | null }>();
  return row?.seq ?? 0;
}

/** The seq of the concept with this index, if one was received. */
export async function conceptSeq(env: Env, id: string, index: number): Promise<number | null> {
  const row = await env.DB.prepare(
    "SELECT seq FROM generation_events WHERE generation_id = ? AND type = 'concept' AND json_extract(data, '$.index') = ?",
  )
    .bind(id, index)
    .first<{ seq: number }>();
  return row?.seq ?? null;
}

export async function concepts(env: Env, id: string): Promise<Concept[]> {
  const { results } = await env.DB.prepare(
    "SELECT data FROM generation_events WHERE generation_id = ? AND type = 'concept' ORDER BY seq",
  )
    .bind(id)
    .all<{ data: string }>();
  return results.map((r) => JSON.parse(r.data) as Concept);
}

/**
 * Ends a generation in error. When nothing was produced the monthly unit goes back, exactly once: the flag flips in
 * the same statement that checks for concepts, whichever request gets here first.
 */
export async function failGeneration(env: Env, id: string, code: string, message: string): Promise<boolean> {
  const seq = await appendEvent(env, id, 'error', { code, message });
  if (seq === null) return false;
  await refundIfNothingMade(env, id);
  return true;
}

async function refundIfNothingMade(env: Env, id: string): Promise<void> {
  const refund = await env.DB.prepare(
    `UPDATE generations SET quota_refunded = 1
     WHERE id = ?1 AND quota_refunded = 0
       AND NOT EXISTS (SELECT 1 FROM generation_events WHERE generation_id = ?1 AND type = 'concept')
     RETURNING tenant_id, quota_month`,
  )
    .bind(id)
    .first<{ tenant_id: string; quota_month: string }>();
  if (refund) await limitsStub(env, refund.tenant_id).release('generation', refund.quota_month);
}

/**
 * How long a generation may go without any event before it is given up. The dispatcher runs in waitUntil, which
 * the runtime ends 30 s after the response at the latest, so sandbox and OpenAI jobs that are silent for longer are
 * dead (isolate evicted, deploy). A webhook tenant renders on its own servers and reports through the callback.
 */
const STALL_MS: Record<Target, number> = { sandbox: 60_000, 'openai-images': 90_000, webhook: 30 * 60_000 };

/** Fails a generation nobody will finish any more, so a stream ends and the unit goes back. */
export async function expireIfStalled(env: Env, g: GenerationRow, now = Date.now()): Promise<boolean> {
  if (isTerminal(g.status)) return false;
  if (now - Date.parse(g.updated_at) <= STALL_MS[g.target]) return false;
  return failGeneration(env, g.id, 'generation_timeout', 'The image service stopped answering; please try again');
}
