// Avatar sessions in D1, and the one way a session ends: marked ended once (whoever comes first), then closed at Akool
// until Akool confirms. Shared by the DELETE, the unload beacon, the failure paths and the cron sweep.
import type { Env } from '../env.ts';
import { closeAvatarSession } from '../providers/akool.ts';

export const MAX_SESSION_SECONDS = 3600;

export type AvatarStatus = 'creating' | 'ready' | 'ended' | 'failed';

export interface AvatarSessionRow {
  id: string;
  tenant_id: string;
  akool_id: string;
  uid: string | null;
  avatar_id: string;
  status: AvatarStatus;
  created_at: string;
  ready_at: string | null;
  ends_at: string;
  ended_at: string | null;
  end_reason: string | null;
  duration_seconds: number | null;
  cost_per_minute_usd: number;
  estimated_cost_usd: number | null;
  quota_month: string;
  akool_closed: number;
}

export type NewAvatarSession = Pick<
  AvatarSessionRow,
  'id' | 'tenant_id' | 'akool_id' | 'uid' | 'avatar_id' | 'created_at' | 'ends_at' | 'cost_per_minute_usd' | 'quota_month'
>;

export async function insertAvatarSession(env: Env, s: NewAvatarSession): Promise<void> {
  await env.DB.prepare(
    `INSERT INTO avatar_sessions (id, tenant_id, akool_id, uid, avatar_id, status, created_at, ends_at, cost_per_minute_usd, quota_month)
     VALUES (?, ?, ?, ?, ?, 'creating', ?, ?, ?, ?)`,
  )
    .bind(s.id, s.tenant_id, s.akool_id, s.uid, s.avatar_id, s.created_at, s.ends_at, s.cost_per_minute_usd, s.quota_month)
    .run();
}

/** Only the owning tenant sees a session; for any other it does not exist. */
export async function getAvatarSession(env: Env, id: string, tenantId?: string): Promise<AvatarSessionRow | null> {
  const sql = tenantId ? 'SELECT * FROM avatar_sessions WHERE id = ? AND tenant_id = ?' : 'SELECT * FROM avatar_sessions WHERE id = ?';
  const stmt = tenantId ? env.DB.prepare(sql).bind(id, tenantId) : env.DB.prepare(sql).bind(id);
  return stmt.first<AvatarSessionRow>();
}

/** False when the session left `creating` meanwhile (the sweep gave up on it). */
export async function markAvatarReady(env: Env, id: string, at: number): Promise<boolean> {
  const res = await env.DB.prepare("UPDATE avatar_sessions SET status = 'ready', ready_at = ? WHERE id = ? AND status = 'creating'")
    .bind(new Date(at).toISOString(), id)
    .run();
  return res.meta.changes === 1;
}

/**
 * Billed use: from creation (Akool's clock starts there) to the end, never past `ends_at` (Akool stops the session
 * itself then), rounded up to whole seconds; cost is per started minute at the rate stored with the session.
 */
export function billedUse(row: Pick<AvatarSessionRow, 'created_at' | 'ends_at' | 'cost_per_minute_usd'>, endMs: number) {
  const end = Math.min(endMs, Date.parse(row.ends_at));
  const seconds = Math.max(0, Math.ceil((end - Date.parse(row.created_at)) / 1000));
  const minutes = Math.ceil(seconds / 60);
  return { seconds, minutes, costUsd: Math.round(minutes * row.cost_per_minute_usd * 10_000) / 10_000 };
}

/** Confirms the close at Akool and records it; false (and a log line) when Akool could not be told. */
export async function closeAtAkool(env: Env, row: Pick<AvatarSessionRow, 'id' | 'akool_id'>): Promise<boolean> {
  try {
    await closeAvatarSession(env, row.akool_id);
  } catch (e) {
    // The sweep retries every row still at akool_closed = 0.
    console.warn('avatar close at Akool failed', { sessionId: row.id, code: (e as { code?: string }).code ?? (e as Error).name });
    return false;
  }
  await env.DB.prepare('UPDATE avatar_sessions SET akool_closed = 1 WHERE id = ?').bind(row.id).run();
  return true;
}

export interface EndOptions {
  reason: string;
  at: number;
  /** `failed` for sessions that never served anyone: no duration, no cost. */
  as?: 'ended' | 'failed';
  /** Runs the Akool close after the answer (the unload beacon); by default the caller waits for it. */
  background?: (work: Promise<unknown>) => void;
}

/**
 * Ends a session idempotently: the first caller records end, duration and cost; later callers change nothing. The
 * close at Akool is (re)tried by whoever finds it unconfirmed, so a close that failed once is retried by the next.
 */
export async function endAvatarSession(env: Env, row: AvatarSessionRow, opts: EndOptions): Promise<AvatarSessionRow> {
  if (row.status === 'creating' || row.status === 'ready') {
    const failed = opts.as === 'failed' || row.status === 'creating';
    const use = failed ? { seconds: 0, costUsd: 0 } : billedUse(row, opts.at);
    await env.DB.prepare(
      `UPDATE avatar_sessions SET status = ?, ended_at = ?, end_reason = ?, duration_seconds = ?, estimated_cost_usd = ?
       WHERE id = ? AND ended_at IS NULL AND status IN ('creating', 'ready')`,
    )
      .bind(failed ? 'failed' : 'ended', new Date(opts.at).toISOString(), opts.reason, use.seconds, use.costUsd, row.id)
      .run();
  }
  const current = (await getAvatarSession(env, row.id)) ?? row;
  if (current.akool_closed === 0) {
    const closing = closeAtAkool(env, current);
    if (opts.background) opts.background(closing);
    else if (await closing) current.akool_closed = 1;
  }
  return current;
}

export interface AvatarUsage {
  minutes: number;
  costUsd: number;
}

/** Minutes (per started minute, per session) and estimated cost of the sessions that ended, by quota month. */
export async function avatarUsageByTenant(env: Env, month: string, tenantId?: string): Promise<Map<string, AvatarUsage>> {
  const where = tenantId ? 'quota_month = ? AND tenant_id = ?' : 'quota_month = ?';
  const stmt = env.DB.prepare(
    `SELECT tenant_id, SUM((duration_seconds + 59) / 60) AS minutes, SUM(estimated_cost_usd) AS cost
     FROM avatar_sessions WHERE ${where} AND status = 'ended' GROUP BY tenant_id`,
  );
  const { results } = await (tenantId ? stmt.bind(month, tenantId) : stmt.bind(month)).all<{ tenant_id: string; minutes: number; cost: number }>();
  return new Map(results.map((r) => [r.tenant_id, { minutes: r.minutes ?? 0, costUsd: Math.round((r.cost ?? 0) * 10_000) / 10_000 }]));
}
