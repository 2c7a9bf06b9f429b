import { recordTenant } from '../analytics/record.ts';
import { reasonCode } from '../analytics/usage.ts';
// Avatar sessions in D1, and the one way a session ends: marked ended once (whoever comes first), then closed at Akool
// until Akool confirms. Shared by the DELETE, the unload beacon, the failure paths and the cron sweep.
import type { Env } from '../env.ts';
import { releaseUnit } from '../limits/quota.ts';
import { AkoolStatus, avatarSessionStatus, closeAvatarSession } from '../providers/akool.ts';

export const MAX_SESSION_SECONDS = 3600;
export const DEFAULT_READY_TIMEOUT_MS = 15_000;
const MAX_READY_TIMEOUT_MS = 60_000;

/** How long the avatar may take to appear after create: the widget's bound, then the sweep checks at Akool. */
export function readyTimeout(env: Env): number {
  const ms = Number(env.AVATAR_READY_TIMEOUT_MS);
  return Number.isFinite(ms) && ms > 0 ? Math.min(ms, MAX_READY_TIMEOUT_MS) : DEFAULT_READY_TIMEOUT_MS;
}

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
  | 'id'
  | 'tenant_id'
  | 'akool_id'
  | 'uid'
  | 'avatar_id'
  | 'created_at'
  | 'ends_at'
  | 'cost_per_minute_usd'
  | 'quota_month'
>;

export async function insertAvatarSession(env: Env, s: NewAvatarSession): Promise<void> {
  await env.DB.prepare(
    `INSERT INTO avatar_sessions (id, tenant_id, akool_id, uid, avatar_id, status, created_at, ends_at, cost_per_minute_usd, quota_month)
     VALUES (?, ?, ?, ?, ?, 'creating', ?, ?, ?, ?)`,
  )
    .bind(
      s.id,
      s.tenant_id,
      s.akool_id,
      s.uid,
      s.avatar_id,
      s.created_at,
      s.ends_at,
      s.cost_per_minute_usd,
      s.quota_month,
    )
    .run();
}

/** Only the owning tenant sees a session; for any other it does not exist. */
export async function getAvatarSession(env: Env, id: string, tenantId?: string): Promise<AvatarSessionRow | null> {
  const sql = tenantId
    ? 'SELECT * FROM avatar_sessions WHERE id = ? AND tenant_id = ?'
    : 'SELECT * FROM avatar_sessions WHERE id = ?';
  const stmt = tenantId ? env.DB.prepare(sql).bind(id, tenantId) : env.DB.prepare(sql).bind(id);
  return stmt.first<AvatarSessionRow>();
}

/**
 * `creating`: created at Akool and its credentials handed out, but nobody has seen the avatar running yet (Akool's
 * demo joins right after create, and Akool may wait for a viewer before it starts). `ready`: Akool reported it
 * processing. False when the session left `creating` meanwhile.
 */
export async function markAvatarReady(env: Env, id: string, at: number): Promise<boolean> {
  const res = await env.DB.prepare(
    "UPDATE avatar_sessions SET status = 'ready', ready_at = ? WHERE id = ? AND status = 'creating'",
  )
    .bind(new Date(at).toISOString(), id)
    .run();
  return res.meta.changes === 1;
}

/**
 * Billed use: from creation (Akool's clock starts there) to the end, never past `ends_at` (Akool stops the session
 * itself then), rounded up to whole seconds; cost is per started minute at the rate stored with the session.
 */
export function billedUse(
  row: Pick<AvatarSessionRow, 'created_at' | 'ends_at' | 'cost_per_minute_usd'>,
  endMs: number,
) {
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
    console.warn('avatar close at Akool failed', {
      sessionId: row.id,
      code: (e as { code?: string }).code ?? (e as Error).name,
    });
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
  /** Give the tenant's unit back (the avatar never ran); only the call that ends the session does. */
  refund?: boolean;
}

/**
 * Ends a session idempotently: the first caller records end, duration and cost; later callers change nothing. The
 * close at Akool is (re)tried by whoever finds it unconfirmed, so a close that failed once is retried by the next.
 */
export async function endAvatarSession(env: Env, row: AvatarSessionRow, opts: EndOptions): Promise<AvatarSessionRow> {
  if (row.status === 'creating' || row.status === 'ready') {
    const failed = opts.as === 'failed' || row.status === 'creating';
    const use = failed ? { seconds: 0, costUsd: 0 } : billedUse(row, opts.at);
    const res = await env.DB.prepare(
      `UPDATE avatar_sessions SET status = ?, ended_at = ?, end_reason = ?, duration_seconds = ?, estimated_cost_usd = ?
       WHERE id = ? AND ended_at IS NULL AND status IN ('creating', 'ready')`,
    )
      .bind(failed ? 'failed' : 'ended', new Date(opts.at).toISOString(), opts.reason, use.seconds, use.costUsd, row.id)
      .run();
    if (failed && opts.refund && res.meta.changes === 1)
      await releaseUnit(env, row.tenant_id, 'avatar_session', row.quota_month);
    if (res.meta.changes === 1) {
      // Analytics: minutes and cost per started minute, at the rate copied at creation (else the price table's).
      const rate = row.cost_per_minute_usd > 0 ? { ratePerMinuteUsd: row.cost_per_minute_usd } : {};
      await recordTenant(env, row.tenant_id, {
        name: 'avatar_end',
        ok: !failed,
        seconds: use.seconds,
        reason: reasonCode(opts.reason),
        ...rate,
      }).catch(() => {});
    }
  }
  const current = (await getAvatarSession(env, row.id)) ?? row;
  if (current.akool_closed === 0) {
    const closing = closeAtAkool(env, current);
    if (opts.background) opts.background(closing);
    else if (await closing) current.akool_closed = 1;
  }
  return current;
}

/** What Akool says of a session nobody has seen running: it ran (`ready`), it never did, or no answer. */
export async function readinessAtAkool(
  env: Env,
  row: Pick<AvatarSessionRow, 'id' | 'akool_id'>,
  at: number,
): Promise<'ready' | 'not_ready' | 'akool_failed' | 'unknown'> {
  let status: number;
  try {
    status = await avatarSessionStatus(env, row.akool_id);
  } catch {
    return 'unknown';
  }
  if (status === AkoolStatus.PROCESSING) {
    await markAvatarReady(env, row.id, at);
    return 'ready';
  }
  return status === AkoolStatus.QUEUEING ? 'not_ready' : 'akool_failed';
}

/**
 * Ends a session the visitor (or the page going away) closes. One never seen running is checked at Akool first: if
 * its avatar did run it is billed like any other; if it never ran (still queueing, or failed) it is recorded failed
 * and the unit goes back, as when Akool never got it ready. Without an answer it is failed and the unit kept.
 */
export async function closeAvatarSessionRow(
  env: Env,
  row: AvatarSessionRow,
  opts: EndOptions,
): Promise<AvatarSessionRow> {
  if (row.status !== 'creating') return endAvatarSession(env, row, opts);
  const readiness = await readinessAtAkool(env, row, opts.at);
  if (readiness === 'ready') return endAvatarSession(env, { ...row, status: 'ready' }, opts);
  const reason = readiness === 'unknown' ? opts.reason : readiness;
  return endAvatarSession(env, row, { ...opts, reason, as: 'failed', refund: readiness !== 'unknown' });
}

export interface AvatarUsage {
  minutes: number;
  costUsd: number;
}

/** Minutes (per started minute, per session) and estimated cost of the sessions that ended, by quota month. */
export async function avatarUsageByTenant(
  env: Env,
  month: string,
  tenantId?: string,
): Promise<Map<string, AvatarUsage>> {
  const where = tenantId ? 'quota_month = ? AND tenant_id = ?' : 'quota_month = ?';
  const stmt = env.DB.prepare(
    `SELECT tenant_id, SUM((duration_seconds + 59) / 60) AS minutes, SUM(estimated_cost_usd) AS cost
     FROM avatar_sessions WHERE ${where} AND status = 'ended' GROUP BY tenant_id`,
  );
  const { results } = await (tenantId ? stmt.bind(month, tenantId) : stmt.bind(month)).all<{
    tenant_id: string;
    minutes: number;
    cost: number;
  }>();
  return new Map(
    results.map((r) => [
      r.tenant_id,
      { minutes: r.minutes ?? 0, costUsd: Math.round((r.cost ?? 0) * 10_000) / 10_000 },
    ]),
  );
}
