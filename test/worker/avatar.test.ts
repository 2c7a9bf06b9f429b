import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { AvatarCloseResponse, AvatarCredentialsResponse, AvatarSessionResponse } from '../../worker/api-types.ts';
import type { AvatarSessionRow } from '../../worker/avatar/store.ts';
import type { SweepResult } from '../../worker/avatar/sweep.ts';
import type { Env } from '../../worker/env.ts';
import worker from '../../worker/index.ts';
import { ADMIN, call, createTenant, expectError, ORIGIN, tenantHeaders } from './helpers.ts';

// Akool's wording carries this mark in test/fakes/akool.js; no answer of ours may repeat it.
const AKOOL_INTERNAL_MARK = 'AKOOL-INTERNAL-DETAIL';

interface FakeSession {
  id: string;
  avatarId: string;
  duration: number;
  status: number;
  closed: boolean;
  closeCalls: number;
  channel: string;
  joined: boolean;
  tokensMinted: number;
}
interface FakeRequest {
  endpoint: 'create' | 'detail' | 'close';
  query: string;
  keyOk: boolean;
  bearer: boolean;
  body: Record<string, unknown> | null;
}
type Script = {
  http?: number;
  code?: number;
  retryAfter?: number;
  delayMs?: number;
  outcome?: 'ready' | 'fail' | 'never' | 'complete';
  readyAfterMs?: number;
  readyWhen?: 'joined' | 'own';
};

/** Steers test/fakes/akool.js. */
const fakeAkool = {
  async next(endpoint: 'create' | 'detail' | 'close', ...responses: Script[]) {
    await fetch(`${env.AKOOL_BASE_URL}/__fake/next`, { method: 'POST', body: JSON.stringify({ endpoint, responses }) });
  },
  async reset() {
    await fetch(`${env.AKOOL_BASE_URL}/__fake/reset`, { method: 'POST' });
  },
  async log(): Promise<FakeRequest[]> {
    return (await (await fetch(`${env.AKOOL_BASE_URL}/__fake/log`)).json<{ requests: FakeRequest[] }>()).requests;
  },
  /** A viewer joined the session's Agora channel (what the widget does with the credentials). */
  async join(channel: string) {
    await fetch(`${env.AKOOL_BASE_URL}/__fake/join`, { method: 'POST', body: JSON.stringify({ channel }) });
  },
  async token(token: string): Promise<{ valid: boolean; channel?: string; uid?: number; expiresAt?: number }> {
    return (await fetch(`${env.AKOOL_BASE_URL}/__fake/token?token=${encodeURIComponent(token)}`)).json();
  },
  async session(id: string): Promise<FakeSession> {
    const { sessions } = await (
      await fetch(`${env.AKOOL_BASE_URL}/__fake/sessions`)
    ).json<{
      sessions: FakeSession[];
    }>();
    const s = sessions.find((x) => x.id === id);
    if (!s) throw new Error(`no fake Akool session ${id}`);
    return s;
  },
};

/** Reads a Worker answer, checking it never carries the Akool key or Akool's own wording. */
async function read<T>(res: Response): Promise<T> {
  const text = await res.clone().text();
  const all = text + JSON.stringify([...res.headers]);
  expect(all).not.toContain(env.AKOOL_API_KEY!);
  expect(all).not.toContain(AKOOL_INTERNAL_MARK);
  return JSON.parse(text) as T;
}

const avatarTenant = (avatar: Record<string, unknown> = {}, limits: Record<string, unknown> = {}) =>
  createTenant({
    settings: { avatar: { enabled: true, durationSeconds: 600, costPerMinuteUsd: 0.25, ...avatar } },
    limits: { requestsPerMinute: 100_000, ...limits },
  });

const createSession = (key: string, body: unknown = {}, envOverride: Partial<Env> = {}) =>
  call(
    '/v1/avatar/session',
    {
      method: 'POST',
      headers: tenantHeaders(key, ORIGIN, { 'Content-Type': 'application/json' }),
      body: JSON.stringify(body),
    },
    envOverride,
  );

async function createOk(key: string, body: unknown = {}): Promise<AvatarSessionResponse> {
  const res = await createSession(key, body);
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  return read<AvatarSessionResponse>(res);
}

/** A session whose avatar runs from the start (Akool answers "processing" at create), as one a visitor watches. */
async function createRunning(key: string, body: unknown = {}): Promise<AvatarSessionResponse> {
  await fakeAkool.next('create', { readyWhen: 'own', readyAfterMs: 0 });
  return createOk(key, body);
}

const credentials = (key: string, id: string) =>
  call(`/v1/avatar/session/${id}/credentials`, { headers: tenantHeaders(key) });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const row = async (id: string) =>
  (await env.DB.prepare('SELECT * FROM avatar_sessions WHERE id = ?').bind(id).first<AvatarSessionRow>())!;

async function usage(tenantId: string) {
  const body = await read<{
    usage: Array<{ avatarSessions: { used: number; limit: number }; avatarMinutes: number; avatarCostUsd: number }>;
  }>(await call(`/admin/usage?tenant=${tenantId}`, { headers: ADMIN }));
  return body.usage[0]!;
}

const del = (key: string, id: string) =>
  call(`/v1/avatar/session/${id}`, { method: 'DELETE', headers: tenantHeaders(key) });

/** Moves a session's clock back, as if it had been created `seconds` ago. */
async function ageSession(id: string, seconds: number) {
  const r = await row(id);
  const shift = (iso: string) => new Date(Date.parse(iso) - seconds * 1000).toISOString();
  await env.DB.prepare('UPDATE avatar_sessions SET created_at = ?, ends_at = ? WHERE id = ?')
    .bind(shift(r.created_at), shift(r.ends_at), id)
    .run();
}

async function runCron(scheduledTime: number): Promise<SweepResult> {
  const ctx = createExecutionContext();
  const logged: SweepResult[] = [];
  const original = console.log;
  console.log = (msg: unknown, data?: unknown) => {
    if (msg === 'avatar sweep') logged.push(data as SweepResult);
  };
  try {
    await worker.scheduled(createScheduledController({ scheduledTime, cron: '*/5 * * * *' }), env, ctx);
    await waitOnExecutionContext(ctx);
  } finally {
    console.log = original;
  }
  return logged[0] ?? { ended: 0, closed: 0, failed: 0 };
}

describe('POST /v1/avatar/session', () => {
  it('creates at Akool and answers the credentials at once, as Akool’s demo joins right after create: no polling', async () => {
    const t = await avatarTenant({ avatarId: 'dvp_Alinna_realisticbg_20241224', durationSeconds: 900 });
    await fakeAkool.reset();
    const started = Date.now();
    const res = await createSession(t.publishableKey, { quality: 'medium', uid: 'visitor-1' });
    expect(res.status).toBe(201);
    const body = await read<AvatarSessionResponse>(res);
    expect(Object.keys(body).sort()).toEqual(['agora', 'expiresAt', 'readyTimeoutMs', 'sessionId']);
    expect(body.agora).toEqual({
      appId: expect.stringMatching(/^[0-9a-f]{32}$/),
      channel: expect.stringMatching(/^vb_/),
      token: expect.stringMatching(/^007eJx/),
      uid: expect.any(Number),
    });
    expect(body.readyTimeoutMs).toBe(15_000);
    expect(body.expiresAt).toBeGreaterThanOrEqual(Math.floor(started / 1000) + 900);
    expect(body.expiresAt).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 900);

    const log = await fakeAkool.log();
    expect(log.every((r) => r.keyOk && !r.bearer)).toBe(true);
    expect(
      log.map((r) => r.endpoint),
      'one create, no status polling',
    ).toEqual(['create']);
    expect(log[0]!.body).toEqual({
      avatar_id: 'dvp_Alinna_realisticbg_20241224',
      duration: 900,
      mode_type: 1,
      stream_type: 'agora',
    });

    // Akool (this fake, by default) starts the avatar only once someone is in the channel.
    const stored = await row(body.sessionId);
    expect(stored).toMatchObject({
      tenant_id: t.id,
      uid: 'visitor-1',
      status: 'creating',
      avatar_id: 'dvp_Alinna_realisticbg_20241224',
      akool_closed: 0,
      cost_per_minute_usd: 0.25,
    });
    expect(Date.parse(stored.ends_at) - Date.parse(stored.created_at)).toBe(900_000);
    expect((await fakeAkool.session(stored.akool_id)).status).toBe(1);
    await sleep(300);
    expect((await fakeAkool.session(stored.akool_id)).status, 'still queueing: nobody joined').toBe(1);
    await fakeAkool.join(body.agora.channel);
    await sleep(200);
    expect((await fakeAkool.session(stored.akool_id)).status).toBe(2);
    expect((await usage(t.id)).avatarSessions.used).toBe(1);
    expect((await del(t.publishableKey, body.sessionId)).status).toBe(200);
    expect(await row(body.sessionId)).toMatchObject({ status: 'ended', end_reason: 'closed', akool_closed: 1 });
    expect((await usage(t.id)).avatarSessions.used, 'it ran: the unit stays spent').toBe(1);
  });

  it('closing a session whose avatar never ran records it failed and gives the unit back; one that ran on its own is billed', async () => {
    const t = await avatarTenant();
    await fakeAkool.reset();
    const unseen = await createOk(t.publishableKey);
    expect((await usage(t.id)).avatarSessions.used).toBe(1);
    const closed = await read<AvatarCloseResponse>(await del(t.publishableKey, unseen.sessionId));
    expect(closed).toMatchObject({ status: 'failed', endReason: 'not_ready', durationSeconds: 0 });
    const stored = await row(unseen.sessionId);
    expect(stored).toMatchObject({ status: 'failed', end_reason: 'not_ready', akool_closed: 1, estimated_cost_usd: 0 });
    expect((await fakeAkool.session(stored.akool_id)).closed).toBe(true);
    expect((await usage(t.id)).avatarSessions.used, 'the unit is back').toBe(0);
    // A repeat changes nothing (and gives nothing back twice).
    expect(await read(await del(t.publishableKey, unseen.sessionId))).toEqual(closed);
    expect((await usage(t.id)).avatarSessions.used).toBe(0);

    // The other behaviour: Akool starts the avatar on its own, whoever joins.
    await fakeAkool.next('create', { readyWhen: 'own', readyAfterMs: 100 });
    const own = await createOk(t.publishableKey);
    expect((await row(own.sessionId)).status).toBe('creating');
    await sleep(200);
    expect(await read(await del(t.publishableKey, own.sessionId))).toMatchObject({
      status: 'ended',
      endReason: 'closed',
    });
    expect((await row(own.sessionId)).ready_at).not.toBeNull();
    expect((await usage(t.id)).avatarSessions.used).toBe(1);
  });

  it('uses the avatar the page asks for, and refuses one Akool does not know with 400, unit given back', async () => {
    const t = await avatarTenant();
    await fakeAkool.reset();
    const s = await createOk(t.publishableKey, { avatarId: 'studio_custom_1' });
    expect((await row(s.sessionId)).avatar_id).toBe('studio_custom_1');
    await expectError(await createSession(t.publishableKey, { avatarId: 'nobody_here' }), 400, 'avatar_not_found');
    expect((await usage(t.id)).avatarSessions.used).toBe(1);
    await expectError(await createSession(t.publishableKey, { quality: 'ultra' }), 400, 'invalid_request');
    await expectError(await createSession(t.publishableKey, { avatarId: '../x' }), 400, 'invalid_request');
    await del(t.publishableKey, s.sessionId);
  });

  it('answers 502 avatar_failed when Akool fails the session at create, closes it there and gives the unit back', async () => {
    const t = await avatarTenant();
    await fakeAkool.reset();
    await fakeAkool.next('create', { outcome: 'fail', readyAfterMs: 0 });
    await expectError(await createSession(t.publishableKey), 502, 'avatar_failed');
    const [stored] = (
      await env.DB.prepare('SELECT * FROM avatar_sessions WHERE tenant_id = ?').bind(t.id).all<AvatarSessionRow>()
    ).results;
    expect(stored).toMatchObject({
      status: 'failed',
      end_reason: 'akool_failed',
      akool_closed: 1,
      duration_seconds: 0,
      estimated_cost_usd: 0,
    });
    expect((await fakeAkool.session(stored!.akool_id)).closeCalls).toBe(1);
    expect((await usage(t.id)).avatarSessions.used).toBe(0);

    // Failing later (status 4 while the widget waits): closing it records the failure and gives the unit back.
    await fakeAkool.next('create', { outcome: 'fail', readyAfterMs: 100 });
    const later = await createOk(t.publishableKey);
    await sleep(150);
    expect(await read(await del(t.publishableKey, later.sessionId))).toMatchObject({
      status: 'failed',
      endReason: 'akool_failed',
    });
    expect((await usage(t.id)).avatarSessions.used).toBe(0);
  });

  it('GET .../credentials: a fresh Agora token from Akool session/detail for the same channel and uid, for renewToken', async () => {
    const t = await avatarTenant();
    const other = await avatarTenant();
    await fakeAkool.reset();
    const s = await createOk(t.publishableKey);
    const res = await credentials(t.publishableKey, s.sessionId);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const fresh = await read<AvatarCredentialsResponse>(res);
    expect(fresh).toEqual({
      sessionId: s.sessionId,
      status: 'starting',
      agora: { ...s.agora, token: expect.stringMatching(/^007eJx/) },
    });
    expect(fresh.agora.token).not.toBe(s.agora.token);
    expect(await fakeAkool.token(fresh.agora.token)).toMatchObject({
      valid: true,
      channel: s.agora.channel,
      uid: s.agora.uid,
    });
    expect((await fakeAkool.log()).filter((r) => r.endpoint === 'detail').map((r) => r.query)).toEqual([
      `?id=${(await row(s.sessionId)).akool_id}`,
    ]);

    // Once the avatar runs, the answer (and the row) say so.
    await fakeAkool.join(s.agora.channel);
    await sleep(200);
    const ready = await read<AvatarCredentialsResponse>(await credentials(t.publishableKey, s.sessionId));
    expect(ready.status).toBe('ready');
    expect(ready.agora.token).not.toBe(fresh.agora.token);
    expect((await row(s.sessionId)).status).toBe('ready');

    await expectError(await credentials(other.publishableKey, s.sessionId), 404, 'not_found');
    await del(t.publishableKey, s.sessionId);
    await expectError(await credentials(t.publishableKey, s.sessionId), 410, 'avatar_session_gone');

    // Akool ended it by itself (out of time, or closed elsewhere): gone, and recorded ended.
    const ended = await createRunning(t.publishableKey);
    await fetch(`${env.AKOOL_BASE_URL}/api/open/v4/liveAvatar/session/close`, {
      method: 'POST',
      headers: { 'x-api-key': env.AKOOL_API_KEY!, 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: (await row(ended.sessionId)).akool_id }),
    });
    await expectError(await credentials(t.publishableKey, ended.sessionId), 410, 'avatar_session_gone');
    expect(await row(ended.sessionId)).toMatchObject({ status: 'ended', end_reason: 'akool_ended' });
  });

  it("maps Akool's busy and credit answers to their own codes, never passes Akool's body, and gives the unit back", async () => {
    const t = await avatarTenant();
    await fakeAkool.reset();
    await fakeAkool.next(
      'create',
      { http: 429, retryAfter: 7 },
      { code: 1215 },
      { http: 402 },
      { code: 1104 },
      { code: 1006 },
      { http: 500 },
      { code: 1218 },
    );
    const busy = await createSession(t.publishableKey);
    expect(busy.headers.get('retry-after')).toBe('7');
    await read(busy);
    await expectError(busy, 503, 'avatar_busy');
    const busyCode = await createSession(t.publishableKey);
    expect(busyCode.headers.get('retry-after')).toBe('10');
    await expectError(busyCode, 503, 'avatar_busy');
    for (let i = 0; i < 3; i++) {
      const res = await createSession(t.publishableKey);
      await read(res);
      await expectError(res, 402, 'avatar_credits_exhausted');
    }
    for (let i = 0; i < 2; i++) {
      const res = await createSession(t.publishableKey);
      await read(res);
      await expectError(res, 502, 'provider_error');
    }
    // A wrong server key is the site owner's problem, said without the key.
    const wrongKey = await createSession(t.publishableKey, {}, { AKOOL_API_KEY: 'akool-wrong-key' });
    expect(await wrongKey.clone().text()).not.toContain('akool-wrong-key');
    await expectError(wrongKey, 502, 'provider_auth_failed');
    expect((await usage(t.id)).avatarSessions.used).toBe(0);
  });

  it('refuses while the avatar flag is off for the unit: 403 feature_disabled, nothing asked of Akool', async () => {
    const t = await avatarTenant();
    const bulk = (enabled: boolean) =>
      call('/admin/flags/bulk', {
        method: 'POST',
        headers: { ...ADMIN, 'Content-Type': 'application/json' },
        body: JSON.stringify({ changes: [{ key: 'avatar', enabled }], note: 'avatar flag test' }),
      });
    await fakeAkool.reset();
    expect((await bulk(false)).status).toBe(200);
    try {
      const err = await expectError(
        await createSession(t.publishableKey, { uid: 'visitor-1' }),
        403,
        'feature_disabled',
      );
      expect(err.error.details).toEqual({ flag: 'avatar', reason: 'DISABLED' });
    } finally {
      expect((await bulk(true)).status).toBe(200);
    }
    expect(await fakeAkool.log()).toHaveLength(0);
    expect((await usage(t.id)).avatarSessions.used).toBe(0);
  });

  it('refuses a tenant that does not allow avatars (403) and a server without an Akool key (409), spending nothing', async () => {
    const off = await createTenant({ limits: { requestsPerMinute: 100_000 } });
    const disabled = await avatarTenant({ enabled: false });
    await fakeAkool.reset();
    await expectError(await createSession(off.publishableKey), 403, 'avatar_not_enabled');
    await expectError(await createSession(disabled.publishableKey), 403, 'avatar_not_enabled');
    const on = await avatarTenant();
    await expectError(await createSession(on.publishableKey, {}, { AKOOL_API_KEY: '' }), 409, 'avatar_unavailable');
    expect(await fakeAkool.log()).toHaveLength(0);
    expect((await usage(on.id)).avatarSessions.used).toBe(0);
    // Behind the key and the origin allowlist like the rest of /v1.
    await expectError(
      await call('/v1/avatar/session', { method: 'POST', headers: { Origin: ORIGIN } }),
      401,
      'unknown_key',
    );
    await expectError(
      await call('/v1/avatar/session', {
        method: 'POST',
        headers: tenantHeaders(on.publishableKey, 'https://evil.example.net'),
      }),
      403,
      'origin_not_allowed',
    );
  });

  it('grants exactly the monthly limit under 200 concurrent requests', async () => {
    const t = await avatarTenant({}, { avatarSessionsPerMonth: 5 });
    await fakeAkool.reset();
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => createSession(t.publishableKey, { uid: `v-${i}` })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.filter((s) => s === 402)).toHaveLength(195);
    for (const r of results.filter((x) => x.status === 402))
      expect((await r.json<{ error: { code: string } }>()).error.code).toBe('quota_exceeded');
    expect((await fakeAkool.log()).filter((r) => r.endpoint === 'create')).toHaveLength(5);
    expect((await usage(t.id)).avatarSessions.used).toBe(5);
    const ok = await Promise.all(results.filter((r) => r.status === 201).map((r) => read<AvatarSessionResponse>(r)));
    for (const s of ok) expect((await del(t.publishableKey, s.sessionId)).status).toBe(200);
  });
});

describe('closing an avatar session', () => {
  it('DELETE closes at Akool, records duration and cost for /admin/usage, and is idempotent and tenant-scoped', async () => {
    const t = await avatarTenant({ costPerMinuteUsd: 0.25 });
    const other = await avatarTenant();
    const s = await createRunning(t.publishableKey);
    await ageSession(s.sessionId, 150); // 150 s of use: 3 started minutes
    await expectError(await del(other.publishableKey, s.sessionId), 404, 'not_found');
    await expectError(await del(t.publishableKey, 'not-a-session'), 404, 'not_found');

    const res = await del(t.publishableKey, s.sessionId);
    expect(res.status).toBe(200);
    const closed = await read<AvatarCloseResponse>(res);
    expect(closed).toMatchObject({ sessionId: s.sessionId, status: 'ended', endReason: 'closed' });
    expect(closed.durationSeconds).toBeGreaterThanOrEqual(150);
    expect(closed.durationSeconds).toBeLessThanOrEqual(155);
    const stored = await row(s.sessionId);
    expect(stored).toMatchObject({ status: 'ended', akool_closed: 1, estimated_cost_usd: 0.75 });
    expect((await fakeAkool.session(stored.akool_id)).closed).toBe(true);

    const again = await del(t.publishableKey, s.sessionId);
    expect(again.status).toBe(200);
    expect(await read(again)).toEqual(closed);
    expect((await fakeAkool.session(stored.akool_id)).closeCalls).toBe(1);

    const u = await usage(t.id);
    expect(u).toMatchObject({ avatarMinutes: 3, avatarCostUsd: 0.75, avatarSessions: { used: 1 } });
  });

  it('the unload beacon (POST .../close?key=, text/plain or empty body) closes it too', async () => {
    const t = await avatarTenant({ costPerMinuteUsd: 0.1 });
    const a = await createRunning(t.publishableKey);
    const b = await createRunning(t.publishableKey);
    await ageSession(a.sessionId, 61); // 2 started minutes
    const beacon = (id: string, init: RequestInit, key = t.publishableKey, origin = ORIGIN) =>
      call(`/v1/avatar/session/${id}/close?key=${key}`, {
        method: 'POST',
        ...init,
        headers: { Origin: origin, ...(init.headers as Record<string, string>) },
      });

    await expectError(
      await call(`/v1/avatar/session/${a.sessionId}/close`, { method: 'POST', headers: { Origin: ORIGIN } }),
      401,
      'unknown_key',
    );
    await expectError(
      await beacon(a.sessionId, {}, t.publishableKey, 'https://evil.example.net'),
      403,
      'origin_not_allowed',
    );
    // Only the beacon route takes the key from the URL.
    await expectError(
      await call(`/v1/avatar/session?key=${t.publishableKey}`, { method: 'POST', headers: { Origin: ORIGIN } }),
      401,
      'unknown_key',
    );

    const first = await beacon(a.sessionId, { body: 'bye', headers: { 'Content-Type': 'text/plain;charset=UTF-8' } });
    expect(first.status).toBe(202);
    expect(await read(first)).toMatchObject({ status: 'ended', endReason: 'unload' });
    const second = await beacon(b.sessionId, {});
    expect(second.status).toBe(202);
    for (const id of [a.sessionId, b.sessionId]) {
      const stored = await row(id);
      expect(stored).toMatchObject({ status: 'ended', akool_closed: 1 });
      expect((await fakeAkool.session(stored.akool_id)).closed).toBe(true);
    }
    // A DELETE after the beacon changes nothing.
    expect(await read(await del(t.publishableKey, a.sessionId))).toMatchObject({
      status: 'ended',
      endReason: 'unload',
    });
    expect(await usage(t.id)).toMatchObject({ avatarMinutes: 3, avatarCostUsd: 0.3 });
  });
});

describe('the cron sweep', () => {
  it('closes sessions past their end, retries a close Akool failed, and is idempotent', async () => {
    const t = await avatarTenant({ durationSeconds: 600, costPerMinuteUsd: 0.2 });
    const later = Date.now() + 2 * 3600_000;
    await runCron(later); // sessions other tests left open are not this test's business
    await fakeAkool.reset();
    const a = await createRunning(t.publishableKey);
    const b = await createRunning(t.publishableKey);
    const c = await createRunning(t.publishableKey);
    await del(t.publishableKey, c.sessionId);

    await fakeAkool.next('close', { http: 500 });
    expect(await runCron(later)).toEqual({ ended: 2, closed: 1, failed: 1 });
    const [ra, rb] = [await row(a.sessionId), await row(b.sessionId)];
    for (const r of [ra, rb])
      expect(r).toMatchObject({ status: 'ended', end_reason: 'expired', duration_seconds: 600, estimated_cost_usd: 2 });
    expect(ra.akool_closed + rb.akool_closed).toBe(1);

    expect(await runCron(later)).toEqual({ ended: 0, closed: 1, failed: 0 });
    expect(await runCron(later)).toEqual({ ended: 0, closed: 0, failed: 0 });
    for (const r of [ra, rb]) {
      expect((await row(r.id)).akool_closed).toBe(1);
      const fake = await fakeAkool.session(r.akool_id);
      expect(fake).toMatchObject({ closed: true, closeCalls: 1 });
    }
    // c's DELETE, the first run's two (one refused), the second run's retry.
    expect((await fakeAkool.log()).filter((r) => r.endpoint === 'close')).toHaveLength(4);
    expect(await usage(t.id)).toMatchObject({ avatarMinutes: 21, avatarCostUsd: 4.2 });
  });

  it('past the ready bound, asks Akool: a session that never ran is failed with its unit back, one that runs is left alone', async () => {
    const t = await avatarTenant();
    await runCron(Date.now() + 2 * 3600_000); // sessions other tests left open are not this test's business
    await fakeAkool.reset();
    const live = await createRunning(t.publishableKey);
    const unseen = await createOk(t.publishableKey);
    const seen = await createOk(t.publishableKey);
    const young = await createOk(t.publishableKey);
    await fakeAkool.join(seen.agora.channel);
    await sleep(200);
    for (const s of [live, unseen, seen]) await ageSession(s.sessionId, 20); // past AVATAR_READY_TIMEOUT_MS (15 s)
    expect((await usage(t.id)).avatarSessions.used).toBe(4);

    expect(await runCron(Date.now())).toEqual({ ended: 1, closed: 1, failed: 0 });
    expect(await row(live.sessionId)).toMatchObject({ status: 'ready', akool_closed: 0 });
    expect(await row(seen.sessionId)).toMatchObject({ status: 'ready', akool_closed: 0 });
    expect((await row(seen.sessionId)).ready_at).not.toBeNull();
    expect(await row(young.sessionId), 'within the bound: not asked yet').toMatchObject({
      status: 'creating',
      akool_closed: 0,
    });
    const r = await row(unseen.sessionId);
    expect(r).toMatchObject({ status: 'failed', end_reason: 'not_ready', akool_closed: 1, duration_seconds: 0 });
    expect((await fakeAkool.session(r.akool_id)).closed).toBe(true);
    expect((await usage(t.id)).avatarSessions.used).toBe(3);
    for (const s of [live, seen, young]) await del(t.publishableKey, s.sessionId);
  });

  it('a session Akool does not answer about is asked again next run, and failed without a refund after 2 minutes (isolate gone)', async () => {
    const t = await avatarTenant();
    await runCron(Date.now() + 2 * 3600_000);
    await fakeAkool.reset();
    const s = await createOk(t.publishableKey);
    await ageSession(s.sessionId, 30);
    await fakeAkool.next('detail', { http: 500 });
    expect(await runCron(Date.now())).toEqual({ ended: 0, closed: 0, failed: 0 });
    expect((await row(s.sessionId)).status).toBe('creating');
    await ageSession(s.sessionId, 150);
    await fakeAkool.next('detail', { http: 500 });
    expect(await runCron(Date.now())).toEqual({ ended: 1, closed: 1, failed: 0 });
    const r = await row(s.sessionId);
    expect(r).toMatchObject({ status: 'failed', end_reason: 'abandoned', akool_closed: 1, duration_seconds: 0 });
    expect((await fakeAkool.session(r.akool_id)).closed).toBe(true);
    expect((await usage(t.id)).avatarSessions.used, 'not known to have failed at Akool: no refund').toBe(1);
  });
});
