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
  g: { id: string; tenantId: string; sessionId: string | null; keywords: Keywords; prompt: string; target: Target; quotaMonth: string },
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
  const percent = type === 'progress' ? (data.percent as number) : null;
  const stage = type === 'progress' ? (data.stage as string) : type === 'done' || type === 'error' ? type : null;
  const errorCode = type === 'error' ? (data.code as string) : null;
  const [inserted] = await env.DB.batch<{ seq: number }>([
    env.DB.prepare(
      `INSERT INTO generation_events (generation_id, seq, type, data)
       SELECT ?1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM generation_events WHERE generation_id = ?1), ?2, ?3
       WHERE EXISTS (SELECT 1 FROM generations WHERE id = ?1 AND status IN ('queued', 'running'))
       RETURNING seq`,
    ).bind(id, type, JSON.stringify(data)),
    env.DB.prepare(
      `UPDATE generations SET
         status = CASE WHEN ?2 IN ('done', 'error') THEN ?2 ELSE 'running' END,
         progress = CASE WHEN ?2 = 'done' THEN 100 ELSE COALESCE(?3, progress) END,
         stage = COALESCE(?4, stage),
         error_code = COALESCE(?5, error_code),
         updated_at = ${NOW},
         completed_at = CASE WHEN ?2 IN ('done', 'error') THEN ${NOW} ELSE completed_at END
       WHERE id = ?1 AND status IN ('queued', 'running')`,
    ).bind(id, type, percent, stage, errorCode),
  ]);
  return inserted?.results[0]?.seq ?? null;
}

export async function getGeneration(env: Env, id: string, tenantId?: string): Promise<GenerationRow | null> {
  const sql = tenantId ? 'SELECT * FROM generations WHERE id = ? AND tenant_id = ?' : 'SELECT * FROM generations WHERE id = ?';
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
  const row = await env.DB.prepare('SELECT MAX(seq) AS seq FROM generation_events WHERE generation_id = ?').bind(id).first<{ seq: number | null }>();
  return row?.seq ?? 0;
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
  const refund = await env.DB.prepare(
    `UPDATE generations SET quota_refunded = 1
     WHERE id = ?1 AND quota_refunded = 0
       AND NOT EXISTS (SELECT 1 FROM generation_events WHERE generation_id = ?1 AND type = 'concept')
     RETURNING tenant_id, quota_month`,
  )
    .bind(id)
    .first<{ tenant_id: string; quota_month: string }>();
  if (refund) await limitsStub(env, refund.tenant_id).release('generation', refund.quota_month);
  return true;
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
