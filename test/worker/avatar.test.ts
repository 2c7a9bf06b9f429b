import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { AvatarCloseResponse, AvatarSessionResponse } from '../../worker/api-types.ts';
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
}
interface FakeRequest {
  endpoint: 'create' | 'detail' | 'close';
  query: string;
  keyOk: boolean;
  bearer: boolean;
  body: Record<string, unknown> | null;
}
type Script = { http?: number; code?: number; retryAfter?: number; delayMs?: number; outcome?: 'ready' | 'fail' | 'never' | 'complete'; readyAfterMs?: number };

/** Steers test/fakes/akool.js. */
const fakeAkool = {
  async next(endpoint: 'create' | 'detail' | 'close', ...responses: Script[]) {
    await fetch(`${env.AKOOL_BASE_URL}/__fake/next`, { method: 'POST', body: JSON.stringify({ endpoint, responses }) });
  },
  async reset() {
    await fetch(`${env.AKOOL_BASE_URL}/__fake/reset`, { method: 'POST' });
  },
  async log(): Promise<FakeRequest[]> {
    return ((await (await fetch(`${env.AKOOL_BASE_URL}/__fake/log`)).json()) as { requests: FakeRequest[] }).requests;
  },
  async session(id: string): Promise<FakeSession> {
    const { sessions } = (await (await fetch(`${env.AKOOL_BASE_URL}/__fake/sessions`)).json()) as { sessions: FakeSession[] };
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
  call('/v1/avatar/session', { method: 'POST', headers: tenantHeaders(key, ORIGIN, { 'Content-Type': 'application/json' }), body: JSON.stringify(body) }, envOverride);

async function createOk(key: string, body: unknown = {}): Promise<AvatarSessionResponse> {
  const res = await createSession(key, body);
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  return read<AvatarSessionResponse>(res);
}

const row = async (id: string) => (await env.DB.prepare('SELECT * FROM avatar_sessions WHERE id = ?').bind(id).first<AvatarSessionRow>())!;

async function usage(tenantId: string) {
  const body = await read<{ usage: Array<{ avatarSessions: { used: number; limit: number }; avatarMinutes: number; avatarCostUsd: number }> }>(
    await call(`/admin/usage?tenant=${tenantId}`, { headers: ADMIN }),
  );
  return body.usage[0]!;
}

const del = (key: string, id: string) => call(`/v1/avatar/session/${id}`, { method: 'DELETE', headers: tenantHeaders(key) });

/** Moves a session's clock back, as if it had been created `seconds` ago. */
async function ageSession(id: string, seconds: number) {
  const r = await row(id);
  const shift = (iso: string) => new Date(Date.parse(iso) - seconds * 1000).toISOString();
  await env.DB.prepare('UPDATE avatar_sessions SET created_at = ?, ends_at = ? WHERE id = ?').bind(shift(r.created_at), shift(r.ends_at), id).run();
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
  it('creates at Akool, waits from queueing to processing, stores the session and answers the Agora credentials', async () => {
    const t = await avatarTenant({ avatarId: 'dvp_Alinna_realisticbg_20241224', durationSeconds: 900 });
    await fakeAkool.reset();
    await fakeAkool.next('create', { readyAfterMs: 700 });
    const started = Date.now();
    const res = await createSession(t.publishableKey, { quality: 'medium', uid: 'visitor-1' });
    const elapsed = Date.now() - started;
    expect(res.status).toBe(201);
    const body = await read<AvatarSessionResponse>(res);
    expect(Object.keys(body).sort()).toEqual(['agora', 'expiresAt', 'sessionId']);
    expect(body.agora).toEqual({ appId: expect.stringMatching(/^[0-9a-f]{32}$/), channel: expect.stringMatching(/^vb_/), token: expect.stringMatching(/^007eJx/), uid: expect.any(Number) });
    expect(elapsed).toBeGreaterThanOrEqual(650); // it waited for "processing", not only for the create
    expect(body.expiresAt).toBeGreaterThanOrEqual(Math.floor(started / 1000) + 900);
    expect(body.expiresAt).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 900);

    const log = await fakeAkool.log();
    expect(log.every((r) => r.keyOk && !r.bearer)).toBe(true);
    const create = log.filter((r) => r.endpoint === 'create');
    expect(create).toHaveLength(1);
    expect(create[0]!.body).toEqual({ avatar_id: 'dvp_Alinna_realisticbg_20241224', duration: 900, mode_type: 1, stream_type: 'agora' });
    expect(log.filter((r) => r.endpoint === 'detail').length).toBeGreaterThanOrEqual(2);

    const stored = await row(body.sessionId);
    expect(stored).toMatchObject({ tenant_id: t.id, uid: 'visitor-1', status: 'ready', avatar_id: 'dvp_Alinna_realisticbg_20241224', akool_closed: 0, cost_per_minute_usd: 0.25 });
    expect(stored.ready_at).not.toBeNull();
    expect(Date.parse(stored.ends_at) - Date.parse(stored.created_at)).toBe(900_000);
    expect((await fakeAkool.session(stored.akool_id)).status).toBe(2);
    expect((await usage(t.id)).avatarSessions.used).toBe(1);
    expect((await del(t.publishableKey, body.sessionId)).status).toBe(200);
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

  it('answers 502 avatar_failed for a session Akool fails (status 4), closes it there and gives the unit back', async () => {
    const t = await avatarTenant();
    await fakeAkool.reset();
    await fakeAkool.next('create', { outcome: 'fail', readyAfterMs: 200 });
    await expectError(await createSession(t.publishableKey), 502, 'avatar_failed');
    const [stored] = (await env.DB.prepare('SELECT * FROM avatar_sessions WHERE tenant_id = ?').bind(t.id).all<AvatarSessionRow>()).results;
    expect(stored).toMatchObject({ status: 'failed', end_reason: 'akool_failed', akool_closed: 1, duration_seconds: 0, estimated_cost_usd: 0 });
    expect((await fakeAkool.session(stored!.akool_id)).closeCalls).toBe(1);
    expect((await usage(t.id)).avatarSessions.used).toBe(0);
  });

  it('gives up after AVATAR_READY_TIMEOUT_MS: 504 avatar_timeout, closed at Akool, unit given back', async () => {
    const t = await avatarTenant();
    await fakeAkool.reset();
    await fakeAkool.next('create', { outcome: 'never' });
    const started = Date.now();
    const res = await createSession(t.publishableKey, {}, { AVATAR_READY_TIMEOUT_MS: '900' });
    const elapsed = Date.now() - started;
    await expectError(res, 504, 'avatar_timeout');
    expect(elapsed).toBeGreaterThanOrEqual(850);
    expect(elapsed).toBeLessThan(4000);
    const [stored] = (await env.DB.prepare('SELECT * FROM avatar_sessions WHERE tenant_id = ?').bind(t.id).all<AvatarSessionRow>()).results;
    expect(stored).toMatchObject({ status: 'failed', end_reason: 'timeout', akool_closed: 1 });
    const fake = await fakeAkool.session(stored!.akool_id);
    expect(fake.closed).toBe(true);
    expect((await usage(t.id)).avatarSessions.used).toBe(0);
  });

  it('keeps waiting through a failed status check, and still answers within the bound', async () => {
    const t = await avatarTenant();
    await fakeAkool.reset();
    await fakeAkool.next('create', { readyAfterMs: 300 });
    await fakeAkool.next('detail', { http: 500 }, { delayMs: 2000 });
    const s = await createOk(t.publishableKey);
    expect((await row(s.sessionId)).status).toBe('ready');
    await del(t.publishableKey, s.sessionId);
  });

  it("maps Akool's busy and credit answers to their own codes, never passes Akool's body, and gives the unit back", async () => {
    const t = await avatarTenant();
    await fakeAkool.reset();
    await fakeAkool.next('create', { http: 429, retryAfter: 7 }, { code: 1215 }, { http: 402 }, { code: 1104 }, { code: 1006 }, { http: 500 }, { code: 1218 });
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
      call('/admin/flags/bulk', { method: 'POST', headers: { ...ADMIN, 'Content-Type': 'application/json' }, body: JSON.stringify({ changes: [{ key: 'avatar', enabled }], note: 'avatar flag test' }) });
    await fakeAkool.reset();
    expect((await bulk(false)).status).toBe(200);
    try {
      const err = await expectError(await createSession(t.publishableKey, { uid: 'visitor-1' }), 403, 'feature_disabled');
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
    await expectError(await call('/v1/avatar/session', { method: 'POST', headers: { Origin: ORIGIN } }), 401, 'unknown_key');
    await expectError(await call('/v1/avatar/session', { method: 'POST', headers: tenantHeaders(on.publishableKey, 'https://evil.example.net') }), 403, 'origin_not_allowed');
  });

  it('grants exactly the monthly limit under 200 concurrent requests', async () => {
    const t = await avatarTenant({}, { avatarSessionsPerMonth: 5 });
    await fakeAkool.reset();
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => createSession(t.publishableKey, { uid: `v-${i}` })));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.filter((s) => s === 402)).toHaveLength(195);
    for (const r of results.filter((x) => x.status === 402)) expect(((await r.json()) as { error: { code: string } }).error.code).toBe('quota_exceeded');
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
    const s = await createOk(t.publishableKey);
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
    const a = await createOk(t.publishableKey);
    const b = await createOk(t.publishableKey);
    await ageSession(a.sessionId, 61); // 2 started minutes
    const beacon = (id: string, init: RequestInit, key = t.publishableKey, origin = ORIGIN) =>
      call(`/v1/avatar/session/${id}/close?key=${key}`, { method: 'POST', ...init, headers: { Origin: origin, ...(init.headers as Record<string, string>) } });

    await expectError(await call(`/v1/avatar/session/${a.sessionId}/close`, { method: 'POST', headers: { Origin: ORIGIN } }), 401, 'unknown_key');
    await expectError(await beacon(a.sessionId, {}, t.publishableKey, 'https://evil.example.net'), 403, 'origin_not_allowed');
    // Only the beacon route takes the key from the URL.
    await expectError(await call(`/v1/avatar/session?key=${t.publishableKey}`, { method: 'POST', headers: { Origin: ORIGIN } }), 401, 'unknown_key');

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
    expect(await read(await del(t.publishableKey, a.sessionId))).toMatchObject({ status: 'ended', endReason: 'unload' });
    expect(await usage(t.id)).toMatchObject({ avatarMinutes: 3, avatarCostUsd: 0.3 });
  });
});

describe('the cron sweep', () => {
  it('closes sessions past their end, retries a close Akool failed, and is idempotent', async () => {
    const t = await avatarTenant({ durationSeconds: 600, costPerMinuteUsd: 0.2 });
    const later = Date.now() + 2 * 3600_000;
    await runCron(later); // sessions other tests left open are not this test's business
    await fakeAkool.reset();
    const a = await createOk(t.publishableKey);
    const b = await createOk(t.publishableKey);
    const c = await createOk(t.publishableKey);
    await del(t.publishableKey, c.sessionId);

    await fakeAkool.next('close', { http: 500 });
    expect(await runCron(later)).toEqual({ ended: 2, closed: 1, failed: 1 });
    const [ra, rb] = [await row(a.sessionId), await row(b.sessionId)];
    for (const r of [ra, rb]) expect(r).toMatchObject({ status: 'ended', end_reason: 'expired', duration_seconds: 600, estimated_cost_usd: 2 });
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

  it('leaves live sessions alone and fails a create abandoned mid-way (isolate gone)', async () => {
    const t = await avatarTenant();
    const live = await createOk(t.publishableKey);
    const stuck = await createOk(t.publishableKey);
    const threeMinutesAgo = new Date(Date.now() - 180_000).toISOString();
    await env.DB.prepare("UPDATE avatar_sessions SET status = 'creating', ready_at = NULL, created_at = ? WHERE id = ?").bind(threeMinutesAgo, stuck.sessionId).run();
    await runCron(Date.now());
    expect(await row(live.sessionId)).toMatchObject({ status: 'ready', akool_closed: 0 });
    const r = await row(stuck.sessionId);
    expect(r).toMatchObject({ status: 'failed', end_reason: 'abandoned', akool_closed: 1, duration_seconds: 0 });
    expect((await fakeAkool.session(r.akool_id)).closed).toBe(true);
    await del(t.publishableKey, live.sessionId);
  });
});
