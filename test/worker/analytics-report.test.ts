// The daily report and the alerts, over rollups written by the consumer's own code into real D1 on days of their
// own (in 2031), so other tests' events never mix in.
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { rollUp, writeRollup } from '../../worker/analytics/consumer.ts';
import type { AlertsResponse, DailyReport } from '../../worker/analytics/contract.ts';
import type { QueueMessage } from '../../worker/analytics/events.ts';
import worker from '../../worker/index.ts';
import { ADMIN, call, createTenant, expectError, uniqueId } from './helpers.ts';

const RECEIVER = (env as unknown as { WEBHOOK_RECEIVER_URL: string }).WEBHOOK_RECEIVER_URL;
const SECRET = 'whsec_test_0123456789abcdef'; // test/fakes/webhook-receiver.js verifies with this one

const sessions = (n: number, ok: number, mode: 'webrtc' | 'websocket' | 'text' = 'webrtc') => [
  ...Array.from({ length: n }, () => ({ name: 'connect_attempt' as const, mode })),
  ...Array.from({ length: ok }, () => ({ name: 'connect_result' as const, mode, ok: true, ms: 800 })),
];

async function seed(tenant: string, at: string, source: QueueMessage['source'], events: QueueMessage['events']) {
  await writeRollup(env, rollUp([{ tenant, at: Date.parse(at), source, events }]));
}

describe('GET /admin/report', () => {
  it('gives each flag a GO or NO-GO from the checks that apply to it, in JSON and in markdown', async () => {
    const t = await createTenant();
    const date = '2031-03-04';
    await seed(t.id, `${date}T09:00:00Z`, 'widget', [
      ...sessions(20, 20),
      ...Array.from({ length: 5 }, () => ({ name: 'avatar_fallback' as const, reason: 'agora_failed' })),
      ...Array.from({ length: 12 }, () => ({ name: 'page_ready' as const, ms: 220 })),
      ...Array.from({ length: 12 }, () => ({ name: 'avatar_sync' as const, ms: 1400 })),
    ]);
    await seed(t.id, `${date}T10:00:00Z`, 'server', [
      ...Array.from({ length: 12 }, () => ({ name: 'tts' as const, ok: true, characters: 10, ms: 400 })),
      ...Array.from({ length: 12 }, () => ({ name: 'session_granted' as const, mode: 'webrtc' as const, ms: 120 })),
      ...Array.from({ length: 10 }, () => ({ name: 'avatar_session' as const, ok: true })),
    ]);
    await expectError(await call('/admin/report?date=2031-13-01', { headers: ADMIN }), 400, 'invalid_request');
    const res = await call(`/admin/report?date=${date}`, { headers: ADMIN });
    expect(res.status).toBe(200);
    const report = await res.json<DailyReport>();
    expect(report.date).toBe(date);
    const health = Object.fromEntries(report.health.map((c) => [c.metric, c]));
    expect(health.connection_success).toMatchObject({ value: 1, status: 'pass', threshold: '>= 0.95' });
    expect(health.tts_p95_ms).toMatchObject({ value: 400, status: 'pass' });
    expect(health.avatar_failure_rate).toMatchObject({ value: 0.5, status: 'fail' });
    expect(health.generation_failure_rate?.status).toBe('no_data');
    expect(health.page_p95_ms).toMatchObject({ value: 250, status: 'pass', threshold: '< 500 ms' });
    expect(health.avatar_sync_p95_ms).toMatchObject({ value: 1500, status: 'fail', threshold: '< 1000 ms' });
    const feature = (flag: string) => report.features.find((f) => f.flag === flag)!;
    expect(feature('voice.webrtc').verdict).toBe('GO');
    expect(feature('tts').verdict).toBe('GO');
    expect(feature('avatar').verdict).toBe('NO-GO');
    expect(feature('avatar').reasons.join(' ')).toMatch(/avatar_failure_rate is 0.5, the rule is < 0.1/);
    expect(feature('avatar').reasons.join(' ')).toMatch(/avatar_sync_p95_ms is 1500, the rule is < 1000 ms/);
    expect(feature('voice.webrtc').checks.map((c) => c.metric)).toContain('page_p95_ms');
    // Nothing measured for generations: no_data never makes a GO.
    expect(feature('keywords.handoff').verdict).toBe('NO-GO');
    expect(feature('keywords.handoff').reasons.join(' ')).toMatch(/not enough data/);
    for (const f of report.features) expect(f.target === null || f.target > f.rollout).toBe(true);

    const md = await call(`/admin/report?date=${date}`, { headers: { ...ADMIN, Accept: 'text/markdown' } });
    expect(md.headers.get('content-type')).toMatch(/^text\/markdown/);
    const text = await md.text();
    expect(text).toContain(`# Daily rollout report ${date}`);
    expect(text).toMatch(/\| voice\.webrtc \| (yes|no) \| [\d.]+ % \| .* \| \*\*GO\*\* \|/);
    expect(text).toContain('### avatar: NO-GO');
  });
});

describe('alerts', () => {
  const cron = async (at: string) => {
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: Date.parse(at), cron: '*/5 * * * *' }), env, ctx);
    await waitOnExecutionContext(ctx);
  };
  const alerts = async (tenant: string) =>
    (await (await call(`/admin/alerts?tenant=${tenant}`, { headers: ADMIN })).json<AlertsResponse>()).alerts;
  const received = async (name: string) =>
    (
      await (
        await fetch(`${RECEIVER}/__log?name=${name}`)
      ).json<{
        received: Array<{ signatureOk: boolean; body: { type: string; alert: { metric: string } } }>;
      }>()
    ).received;

  it('opens an episode on a breach, posts it once signed, closes it when healthy, opens a new one on the next', async () => {
    const name = uniqueId('alert');
    const t = await createTenant({
      settings: {
        alerts: { webhookUrl: `${RECEIVER}/hook/${name}`, webhookSecret: SECRET, thresholds: { minSamples: 5 } },
      },
    });
    const tenantView = await (await call(`/admin/tenants/${t.id}`, { headers: ADMIN })).json();
    expect(JSON.stringify(tenantView)).not.toContain(SECRET);

    await seed(t.id, '2031-05-05T10:10:00Z', 'widget', sessions(10, 5));
    await cron('2031-05-05T10:20:00Z');
    let list = await alerts(t.id);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      tenant: t.id,
      metric: 'connection_success',
      value: 0.5,
      threshold: 0.95,
      closedAt: null,
    });
    expect(list[0]!.notifiedAt).toBe('2031-05-05T10:20:00.000Z');
    // The next cron sees the same breach: the same episode, no second post.
    await cron('2031-05-05T10:25:00Z');
    expect(await alerts(t.id)).toHaveLength(1);
    let posts = await received(name);
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({
      signatureOk: true,
      body: { type: 'analytics.alert', alert: { metric: 'connection_success' } },
    });

    // Healthy two hours later: the episode closes.
    await seed(t.id, '2031-05-05T12:10:00Z', 'widget', sessions(10, 10));
    await cron('2031-05-05T12:20:00Z');
    list = await alerts(t.id);
    expect(list[0]!.closedAt).toBe('2031-05-05T12:20:00.000Z');
    const open = await (await call(`/admin/alerts?tenant=${t.id}&open=1`, { headers: ADMIN })).json<AlertsResponse>();
    expect(open.alerts).toEqual([]);

    await seed(t.id, '2031-05-05T15:10:00Z', 'widget', sessions(10, 2));
    await cron('2031-05-05T15:20:00Z');
    expect(await alerts(t.id)).toHaveLength(2);
    posts = await received(name);
    expect(posts).toHaveLength(2);
    await expectError(await call('/admin/alerts?open=yes', { headers: ADMIN }), 400, 'invalid_request');
  });

  it('alerts on an avatar sync delay p95 over 1 s and a page p95 over 500 ms; a tenant may move either line', async () => {
    const slow = [
      ...Array.from({ length: 10 }, () => ({ name: 'avatar_sync' as const, ms: 1800 })),
      ...Array.from({ length: 10 }, () => ({ name: 'page_ready' as const, ms: 900 })),
    ];
    const strict = await createTenant();
    await seed(strict.id, '2031-07-02T09:10:00Z', 'widget', slow);
    await cron('2031-07-02T09:20:00Z');
    const open = (await alerts(strict.id)).map((a) => ({ metric: a.metric, threshold: a.threshold }));
    expect(open).toEqual(
      expect.arrayContaining([
        { metric: 'avatar_sync_p95_ms', threshold: 1000 },
        { metric: 'page_p95_ms', threshold: 500 },
      ]),
    );
    expect(open).toHaveLength(2);
    // The same figures under a tenant's own, looser lines: no alert.
    const lenient = await createTenant({
      settings: { alerts: { thresholds: { avatarSyncP95MsMax: 3000, pageP95MsMax: 2000 } } },
    });
    await seed(lenient.id, '2031-07-02T09:10:00Z', 'widget', slow);
    await cron('2031-07-02T09:20:00Z');
    expect(await alerts(lenient.id)).toEqual([]);
    // A threshold that is not a number of ms is refused like the others.
    const bad = await call(`/admin/tenants/${lenient.id}`, {
      method: 'PUT',
      headers: { ...ADMIN, 'Content-Type': 'application/json' },
      body: JSON.stringify({ settings: { alerts: { thresholds: { pageP95MsMax: -1 } } } }),
    });
    expect(bad.status).toBe(400);
  });

  it('a tenant over its daily budget gets a cost alert', async () => {
    const t = await createTenant({ settings: { alerts: { thresholds: { dailyBudgetUsd: 1 } } } });
    await seed(t.id, '2031-06-01T01:00:00Z', 'server', [{ name: 'tts', ok: true, characters: 10_000, ms: 300 }]);
    await cron('2031-06-01T23:00:00Z');
    const [episode] = await alerts(t.id);
    expect(episode).toMatchObject({ metric: 'cost_usd', value: 1.8, threshold: 1, notifiedAt: null });
  });
});
