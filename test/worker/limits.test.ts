import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { utcMonth } from '../../worker/limits/month.ts';
import { ADMIN, call, createTenant, fakeOpenAI, postJson } from './helpers.ts';

const usage = async (tenant: string, month = utcMonth()) => {
  const res = await call(`/admin/usage?tenant=${tenant}&month=${month}`, { headers: ADMIN });
  expect(res.status).toBe(200);
  return (await res.json<{ usage: Array<{ voiceSessions: { used: number; limit: number } }> }>()).usage[0]!;
};

describe('atomic monthly limits', () => {
  it('grants exactly the limit under 200 concurrent session requests', async () => {
    await fakeOpenAI.reset();
    const t = await createTenant({ limits: { voiceSessionsPerMonth: 100, requestsPerMinute: 100_000 } });
    const results = await Promise.all(
      Array.from({ length: 200 }, () => postJson('/v1/realtime/session', t.publishableKey, { mode: 'webrtc' })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(100);
    expect(statuses.filter((s) => s === 402)).toHaveLength(100);
    const refused = results.find((r) => r.status === 402)!;
    expect((await refused.json<{ error: { code: string } }>()).error.code).toBe('quota_exceeded');
    expect((await usage(t.id)).voiceSessions).toEqual({ used: 100, limit: 100 });
  });

  it('starts each calendar month at zero', async () => {
    const t = await createTenant({ limits: { voiceSessionsPerMonth: 2 } });
    const stub = env.LIMITS.get(env.LIMITS.idFromName(t.id));
    expect((await stub.consume('voice_session', 2, '2026-01')).granted).toBe(true);
    expect((await stub.consume('voice_session', 2, '2026-01')).granted).toBe(true);
    expect((await stub.consume('voice_session', 2, '2026-01')).granted).toBe(false);
    expect(await stub.consume('voice_session', 2, '2026-02')).toMatchObject({ granted: true, used: 1 });
    expect((await usage(t.id, '2026-01')).voiceSessions.used).toBe(2);
    expect((await usage(t.id, '2026-02')).voiceSessions.used).toBe(1);
  });

  it('gives the unit back when the upstream call fails', async () => {
    await fakeOpenAI.reset();
    // A tenant on browser keys: the key is minted in this request (the Worker-created call is in calls.test.ts).
    const t = await createTenant({
      limits: { voiceSessionsPerMonth: 1 },
      settings: { realtime: { clientSecret: true } },
    });
    await fakeOpenAI.next({ status: 500 });
    expect((await postJson('/v1/realtime/session', t.publishableKey, { mode: 'webrtc' })).status).toBe(502);
    expect((await usage(t.id)).voiceSessions.used).toBe(0);
    expect((await postJson('/v1/realtime/session', t.publishableKey, { mode: 'webrtc' })).status).toBe(201);
    expect((await postJson('/v1/realtime/session', t.publishableKey, { mode: 'webrtc' })).status).toBe(402);
  });
});
