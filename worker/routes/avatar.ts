import { record } from '../analytics/record.ts';
import { Hono } from 'hono';
import type { Context } from 'hono';
import type * as v from 'valibot';
import type { AvatarCloseResponse, AvatarCredentialsResponse, AvatarSessionResponse } from '../api-types.ts';
import {
  type AvatarSessionRow,
  closeAvatarSessionRow,
  endAvatarSession,
  getAvatarSession,
  insertAvatarSession,
  markAvatarReady,
  MAX_SESSION_SECONDS,
  readyTimeout,
} from '../avatar/store.ts';
import type { AppEnv, Env } from '../env.ts';
import { ApiError, notFound } from '../errors.ts';
import { requireFlag } from '../flags/enforce.ts';
import { utcMonth } from '../limits/month.ts';
import { withQuota } from '../limits/quota.ts';
import {
  AkoolError,
  AkoolStatus,
  avatarSessionCredentials,
  closeAvatarSession,
  createAvatarSession,
  NOT_FOUND_CODES,
} from '../providers/akool.ts';
import type { Tenant } from '../tenants/model.ts';
import { json, param } from '../validator.ts';
import { AvatarSessionBody, IdParam } from './schemas.ts';

/** Akool's stock avatar, used when neither the request nor the tenant names one. */
export const DEFAULT_AVATAR_ID = 'dvp_Tristan_cloth2_1080P';
export const DEFAULT_DURATION_S = 600;

/**
 * Creates the session and answers its credentials at once, as Akool's own demo joins right after create: Akool may
 * wait for a viewer in the channel before it starts the avatar, so waiting for "processing" here could wait
 * forever. The widget joins and waits (bounded by `readyTimeoutMs`) for the avatar to publish; a session that never
 * ran is recorded failed and its unit given back when it is closed (or swept).
 */
async function openSession(
  env: Env,
  tenant: Tenant,
  body: v.InferOutput<typeof AvatarSessionBody>,
): Promise<AvatarSessionResponse> {
  const started = Date.now();
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

  const full = {
    ...row,
    status: 'creating',
    ready_at: null,
    ended_at: null,
    end_reason: null,
    duration_seconds: null,
    estimated_cost_usd: null,
    akool_closed: 0,
  } satisfies AvatarSessionRow;
  // Failed (4) or already over (3) at create: it will never run.
  if (!created.agora) {
    await endAvatarSession(env, full, { reason: 'akool_failed', at: Date.now(), as: 'failed' });
    throw new ApiError(
      502,
      'avatar_failed',
      'The avatar service could not start the avatar; the voice conversation goes on without it',
    );
  }
  if (created.status === AkoolStatus.PROCESSING) await markAvatarReady(env, id, Date.now());
  return {
    sessionId: id,
    agora: created.agora,
    expiresAt: Math.floor(Date.parse(row.ends_at) / 1000),
    readyTimeoutMs: readyTimeout(env),
  };
}

const notOurs = () => notFound('Avatar session');
/** `:id`, a UUID: anything else cannot exist, and is answered like an id that does not. */
const sessionId = param(IdParam, notOurs);

async function ownedSession(c: Context<AppEnv>, id: string): Promise<AvatarSessionRow> {
  const row = await getAvatarSession(c.env, id, c.get('tenant').id);
  if (!row) throw notOurs();
  return row;
}

const gone = () => new ApiError(410, 'avatar_session_gone', 'This avatar session is over');

/** What the visitor's page may see: not the Akool id, not the tenant's cost. */
const closeView = (r: AvatarSessionRow): AvatarCloseResponse => ({
  sessionId: r.id,
  status: r.status,
  endedAt: r.ended_at,
  endReason: r.end_reason,
  durationSeconds: r.duration_seconds,
});

export const avatar = new Hono<AppEnv>()
  .post('/session', json(AvatarSessionBody, { optional: true }), async (c) => {
    const tenant = c.get('tenant');
    const body = c.req.valid('json');
    await requireFlag(c, 'avatar', body.uid);
    if (tenant.settings.avatar?.enabled !== true) {
      throw new ApiError(403, 'avatar_not_enabled', 'The talking avatar is not enabled for this site');
    }
    // A configuration state, not a fault: bootstrap already told the widget avatars are unavailable.
    if (!c.env.AKOOL_API_KEY) {
      throw new ApiError(
        409,
        'avatar_unavailable',
        'The talking avatar is not set up on this server; the voice conversation works without it',
      );
    }
    let session: Awaited<ReturnType<typeof openSession>>;
    try {
      session = await withQuota(c.env, tenant, 'avatar_session', () => openSession(c.env, tenant, body));
    } catch (e) {
      record({ name: 'avatar_session', ok: false, code: e instanceof ApiError ? e.code : 'avatar_failed' });
      throw e;
    }
    record({ name: 'avatar_session', ok: true });
    return c.json(session satisfies AvatarSessionResponse, 201);
  })
  // Fresh Agora credentials (a new token) for a session that is still on: the widget asks when Agora warns that
  // its token expires in 30 s. No flag check, like the close: a running session keeps running.
  .get('/session/:id/credentials', sessionId, async (c) => {
    const row = await ownedSession(c, c.req.valid('param').id);
    c.header('Cache-Control', 'no-store');
    if (row.status === 'ended' || row.status === 'failed') throw gone();
    const { status, agora } = await avatarSessionCredentials(c.env, row.akool_id);
    if (!agora) {
      await endAvatarSession(c.env, row, {
        reason: 'akool_ended',
        at: Date.now(),
        as: status === AkoolStatus.FAILED ? 'failed' : 'ended',
      });
      throw gone();
    }
    if (status === AkoolStatus.PROCESSING && row.status === 'creating')
      await markAvatarReady(c.env, row.id, Date.now());
    const answer = {
      sessionId: row.id,
      agora,
      status: status === AkoolStatus.PROCESSING ? 'ready' : 'starting',
    } satisfies AvatarCredentialsResponse;
    return c.json(answer);
  })
  // No flag check on the way out: a session opened before a flag was switched off must still be closable.
  .delete('/session/:id', sessionId, async (c) => {
    const row = await ownedSession(c, c.req.valid('param').id);
    return c.json(closeView(await closeAvatarSessionRow(c.env, row, { reason: 'closed', at: Date.now() })));
  })
  // navigator.sendBeacon on page unload: the key comes as ?key= (beacons cannot set headers), the body is whatever the
  // page sent (ignored). The page is going away, so the close at Akool finishes after the answer.
  .post('/session/:id/close', sessionId, async (c) => {
    const row = await ownedSession(c, c.req.valid('param').id);
    const ended = await closeAvatarSessionRow(c.env, row, {
      reason: 'unload',
      at: Date.now(),
      background: (p) => c.executionCtx.waitUntil(p),
    });
    return c.json(closeView(ended), 202);
  });
