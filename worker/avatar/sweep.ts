// The cron sweep: no avatar session stays open at Akool because a page closed without its beacon, an isolate died
// mid-create, or Akool failed to answer a close. Safe to run twice at once: ending is idempotent, and so is a close.
import type { Env } from '../env.ts';
import {
  type AvatarSessionRow,
  endAvatarSession,
  MAX_SESSION_SECONDS,
  readinessAtAkool,
  readyTimeout,
} from './store.ts';

/** A session still unconfirmed this long after create, whose status Akool does not answer, is given up on. */
export const ABANDONED_CREATE_MS = 2 * 60_000;
const BATCH = 200;
const PARALLEL = 10;

export interface SweepResult {
  /** Sessions this run found and ended (they were still open in D1). */
  ended: number;
  /** Closes Akool confirmed this run. */
  closed: number;
  /** Closes that failed; they are retried on the next run. */
  failed: number;
}

export async function sweepAvatarSessions(env: Env, now: number = Date.now()): Promise<SweepResult> {
  const iso = (ms: number) => new Date(ms).toISOString();
  const { results } = await env.DB.prepare(
    `SELECT * FROM avatar_sessions
     WHERE akool_closed = 0 AND (
       status IN ('ended', 'failed')
       OR ends_at <= ?1
       OR created_at <= ?2
       OR (status = 'creating' AND created_at <= ?3))
     ORDER BY created_at LIMIT ${BATCH}`,
  )
    .bind(iso(now), iso(now - MAX_SESSION_SECONDS * 1000), iso(now - readyTimeout(env)))
    .all<AvatarSessionRow>();

  const result: SweepResult = { ended: 0, closed: 0, failed: 0 };
  const one = async (row: AvatarSessionRow) => {
    const open = row.status === 'creating' || row.status === 'ready';
    const over = Date.parse(row.ends_at) <= now || Date.parse(row.created_at) <= now - MAX_SESSION_SECONDS * 1000;
    let end: Parameters<typeof endAvatarSession>[2] = { reason: over ? 'expired' : 'orphaned', at: now };
    if (row.status === 'creating' && !over) {
      // Past the ready bound and never confirmed: did the avatar run (a viewer came), or not?
      const readiness = await readinessAtAkool(env, row, now);
      if (readiness === 'ready') return; // it runs: left alone until it is closed or expires
      if (readiness === 'unknown') {
        if (Date.parse(row.created_at) > now - ABANDONED_CREATE_MS) return; // ask again next run
        end = { reason: 'abandoned', at: now, as: 'failed' };
      } else end = { reason: readiness, at: now, as: 'failed', refund: true };
    }
    const after = await endAvatarSession(env, row, end);
    if (open) result.ended++;
    if (after.akool_closed === 1) result.closed++;
    else result.failed++;
  };
  // One Akool failure (or a D1 hiccup on one row) must not stop the others.
  for (let i = 0; i < results.length; i += PARALLEL) {
    const settled = await Promise.allSettled(results.slice(i, i + PARALLEL).map(one));
    result.failed += settled.filter((s) => s.status === 'rejected').length;
  }
  return result;
}
