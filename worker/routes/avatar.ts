import { Hono } from 'hono';
import type { Context } from 'hono';
import * as v from 'valibot';
import type { AvatarCloseResponse, AvatarSessionResponse } from '../api-types.ts';
import { type AvatarSessionRow, endAvatarSession, getAvatarSession, insertAvatarSession, markAvatarReady, MAX_SESSION_SECONDS } from '../avatar/store.ts';
import { parseJson } from '../body.ts';
import type { AppEnv, Env } from '../env.ts';
import { ApiError, notFound } from '../errors.ts';
import { requireFlag, UidSchema } from '../flags/enforce.ts';
import { utcMonth } from '../limits/month.ts';
import { withQuota } from '../limits/quota.ts';
import { AkoolError, AkoolStatus, avatarSessionStatus, closeAvatarSession, createAvatarSession, NOT_FOUND_CODES } from '../providers/akool.ts';
import { upstreamTimeout } from '../providers/upstream.ts';
import type { Tenant } from '../tenants/model.ts';

/** Akool's stock avatar, used when neither the request nor the tenant names one. */
export const DEFAULT_AVATAR_ID = 'dvp_Tristan_cloth2_1080P';
export const DEFAULT_DURATION_S = 600;
export const DEFAULT_READY_TIMEOUT_MS = 15_000;
const MAX_READY_TIMEOUT_MS = 60_000;
const POLL_MS = [250, 500, 1000];

const CreateBody = v.strictObject({
  avatarId: v.optional(v.pipe(v.string(), v.regex(/^[\w.-]{1,120}$/, 'must be an Akool avatar id (letters, digits, . _ -)'))),
  // The widget's starting video quality (it picks the Agora stream); Akool v4 has no quality setting at creation.
  quality: v.optional(v.picklist(['high', 'medium', 'low'], 'must be "high", "medium" or "low"')),
  uid: v.optional(UidSchema),
});

function readyTimeout(env: Env): number {
  const ms = Number(env.AVATAR_READY_TIMEOUT_MS);
  return Number.isFinite(ms) && ms > 0 ? Math.min(ms, MAX_READY_TIMEOUT_MS) : DEFAULT_READY_TIMEOUT_MS;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until Akool reports the session processing (2): its avatar is then running in the Agora channel, so the
 * widget joins and sees it at once. Queueing (1) keeps waiting; failed (4) or already completed (3) end the wait.
 * A failed status check is retried until the deadline: one slow answer should not cost the visitor the avatar.
 */
async function waitUntilReady(env: Env, akoolId: string, first: number, deadline: number): Promise<'ready' | 'failed' | 'timeout'> {
  let status = first;
  for (let attempt = 0; ; attempt++) {
    if (status === AkoolStatus.PROCESSING) return 'ready';
    if (status === AkoolStatus.FAILED || status === AkoolStatus.COMPLETED) return 'failed';
    const left = deadline - Date.now();
    if (left <= 0) return 'timeout';
    await sleep(Math.min(POLL_MS[Math.min(attempt, POLL_MS.length - 1)]!, left));
    const remaining = deadline - Date.now();
    if (remaining <= 0) return 'timeout';
    try {
      status = await avatarSessionStatus(env, akoolId, Math.min(upstreamTimeout(env), remaining));
    } catch (e) {
      if (e instanceof ApiError && e.status >= 500) continue;
      throw e;
    }
  }
}

async function openSession(env: Env, tenant: Tenant, body: v.InferOutput<typeof CreateBody>): Promise<AvatarSessionResponse> {
  const started = Date.now();
  const deadline = started + readyTimeout(env);
  const settings = tenant.settings.avatar ?? {};
  const avatarId = body.avatarId ?? settings.avatarId ?? DEFAULT_AVATAR_ID;
  const durationSeconds = Math.min(MAX_SESSION_SECONDS, settings.durationSeconds ?? DEFAULT_DURATION_S);

  let created;
  try {
    created = await createAvatarSession(env, { avatarId, durationSeconds });
  } catch (e) {
    // An avatar id the visitor's page asked for and Akool does not know is the caller's mistake, not ours.
    if (body.avatarId && e instanceof AkoolError && e.akoolCode !== null && NOT_FOUND_CODES.has(e.akoolCode)) {
      throw new ApiError(400, 'avatar_not_found', `The avatar service has no avatar "${body.avatarId}"`);
    }
    throw e;
  }

  const id = crypto.randomUUID();
  const createdAt = Date.now();
  const row = {
    id,
    tenant_id: tenant.id,
    akool_id: created.akoolId,
    uid: body.uid ?? null,
    avatar_id: avatarId,
    created_at: new Date(createdAt).toISOString(),
    ends_at: new Date(createdAt + durationSeconds * 1000).toISOString(),
    cost_per_minute_usd: settings.costPerMinuteUsd ?? 0,
    quota_month: utcMonth(new Date(started)),
  };
  try {
    await insertAvatarSession(env, row);
  } catch (e) {
    // Untracked, nobody would ever close it.
    await closeAvatarSession(env, created.akoolId).catch(() => {});
    throw e;
  }

  const full = { ...row, status: 'creating', ready_at: null, ended_at: null, end_reason: null, duration_seconds: null, estimated_cost_usd: null, akool_closed: 0 } satisfies AvatarSessionRow;
  let outcome: Awaited<ReturnType<typeof waitUntilReady>>;
  try {
    outcome = await waitUntilReady(env, created.akoolId, created.status, deadline);
    if (outcome === 'ready' && !(await markAvatarReady(env, id, Date.now()))) outcome = 'failed';
  } catch (e) {
    await endAvatarSession(env, full, { reason: (e as { code?: string }).code ?? 'error', at: Date.now(), as: 'failed' });
    throw e;
  }
  if (outcome !== 'ready') {
    await endAvatarSession(env, full, { reason: outcome === 'timeout' ? 'timeout' : 'akool_failed', at: Date.now(), as: 'failed' });
    if (outcome === 'timeout') {
      throw new ApiError(504, 'avatar_timeout', `The avatar was not ready within ${Math.round(readyTimeout(env) / 1000)} s; the voice conversation goes on without it`);
    }
    throw new ApiError(502, 'avatar_failed', 'The avatar service could not start the avatar; the voice conversation goes on without it');
  }
  return { sessionId: id, agora: created.agora, expiresAt: Math.floor(Date.parse(row.ends_at) / 1000) };
}

async function ownedSession(c: Context<AppEnv>): Promise<AvatarSessionRow> {
  const id = c.req.param('id') ?? '';
  // Ids are UUIDs; anything else cannot exist, and is answered like an id that does not.
  const row = /^[0-9a-f-]{36}$/.test(id) ? await getAvatarSession(c.env, id, c.get('tenant').id) : null;
  if (!row) throw notFound('Avatar session');
  return row;
}

/** What the visitor's page may see: not the Akool id, not the tenant's cost. */
const closeView = (r: AvatarSessionRow): AvatarCloseResponse => ({
  sessionId: r.id,
  status: r.status,
  endedAt: r.ended_at,
  endReason: r.end_reason,
  durationSeconds: r.duration_seconds,
});

export const avatar = new Hono<AppEnv>()
  .post('/session', async (c) => {
    const tenant = c.get('tenant');
    const body = await parseJson(c, CreateBody, { optional: true });
    await requireFlag(c, 'avatar', body.uid);
    if (tenant.settings.avatar?.enabled !== true) {
      throw new ApiError(403, 'avatar_not_enabled', 'The talking avatar is not enabled for this site');
    }
    // A configuration state, not a fault: bootstrap already told the widget avatars are unavailable.
    if (!c.env.AKOOL_API_KEY) {
      throw new ApiError(409, 'avatar_unavailable', 'The talking avatar is not set up on this server; the voice conversation works without it');
    }
    const session = await withQuota(c.env, tenant, 'avatar_session', () => openSession(c.env, tenant, body));
    return c.json(session, 201);
  })
  // No flag check on the way out: a session opened before a flag was switched off must still be closable.
  .delete('/session/:id', async (c) => {
    const row = await ownedSession(c);
    return c.json(closeView(await endAvatarSession(c.env, row, { reason: 'closed', at: Date.now() })));
  })
  // navigator.sendBeacon on page unload: the key comes as ?key= (beacons cannot set headers), the body is whatever the
  // page sent (ignored). The page is going away, so the close at Akool finishes after the answer.
  .post('/session/:id/close', async (c) => {
    const row = await ownedSession(c);
    const ended = await endAvatarSession(c.env, row, { reason: 'unload', at: Date.now(), background: (p) => c.executionCtx.waitUntil(p) });
    return c.json(closeView(ended), 202);
  });
