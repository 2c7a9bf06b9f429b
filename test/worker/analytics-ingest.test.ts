// POST /v1/events through the whole Worker, the real ANALYTICS queue and its consumer, into real D1.
import { describe, expect, it } from 'vitest';
import { SESSION_EVENT_CAP } from '../../worker/routes/events.ts';
import { ADMIN, call, createTenant, expectError, uniqueId } from './helpers.ts';
import { counter, eventually, getAnalytics, sendEvents } from './analytics-helpers.ts';

const session = () => uniqueId('sess').replace(/[^A-Za-z0-9_-]/g, '_');
const visitor = 'ab'.repeat(16);

describe('POST /v1/events', () => {
  it('refuses junk with a 4xx in the one error shape, never a 5xx', async () => {
    const t = await createTenant();
    const key = t.publishableKey;
    await expectError(await sendEvents(key, '{"session":', {}), 400, 'invalid_json');
    await expectError(
      await sendEvents(key, 'x', { type: 'application/x-www-form-urlencoded' }),
      415,
      'unsupported_media_type',
    );
    await expectError(await sendEvents(key, { session: session(), events: [] }), 400, 'invalid_request');
    await expectError(await sendEvents(key, { session: 'x', events: [{ name: 'error' }] }), 400, 'invalid_request');
    // No conversation content can ride along: unknown fields and free text are refused.
    await expectError(
      await sendEvents(key, { session: session(), events: [{ name: 'error', text: 'my words' }] }),
      400,
      'invalid_request',
    );
    await expectError(
      await sendEvents(key, { session: session(), events: [{ name: 'error', code: 'has spaces in it' }] }),
      400,
      'invalid_request',
    );
    await expectError(
      await sendEvents(key, { session: session(), events: [{ name: 'session_granted' }] }),
      400,
      'invalid_request',
    );
    const tooMany = Array.from({ length: 201 }, () => ({ name: 'reconnect' }));
    await expectError(await sendEvents(key, { session: session(), events: tooMany }), 400, 'invalid_request');
    await expectError(
      await sendEvents(
        key,
        { session: session(), events: [{ name: 'reconnect' }] },
        { origin: 'https://evil.example' },
      ),
      403,
      'origin_not_allowed',
    );
    await expectError(
      await sendEvents('pk_nobody', { session: session(), events: [{ name: 'reconnect' }] }),
      401,
      'unknown_key',
    );
  });

  it('counts a conversation: attempts, connected by mode, connect time percentiles, fallbacks, errors', async () => {
    const t = await createTenant();
    const s = session();
    const events = [
      { name: 'connect_attempt', mode: 'webrtc' },
      { name: 'fallback', mode: 'webrtc', to: 'websocket', reason: 'webrtc_failed' },
      { name: 'connect_attempt', mode: 'websocket' },
      { name: 'connect_result', mode: 'websocket', ok: true, ms: 420 },
      { name: 'connect_attempt', mode: 'text' },
      { name: 'connect_result', mode: 'text', ok: true, ms: 90 },
      { name: 'error', code: 'mic_denied', mode: 'websocket' },
      { name: 'session_end', mode: 'websocket', ms: 65_000, turns: 4, reason: 'ended' },
      { name: 'page_ready', ms: 180 },
      { name: 'avatar_sync', ms: 640 },
    ];
    // sendBeacon's way: key in the URL, text/plain body.
    const res = await sendEvents(
      t.publishableKey,
      { session: s, visitor, events },
      { type: 'text/plain;charset=UTF-8', viaUrl: true },
    );
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ accepted: events.length });
    const a = await eventually(
      'the events in D1',
      () => getAnalytics(t.id),
      (r) => r.totals.sessions.attempts === 3,
    );
    expect(a.tenant).toBe(t.id);
    expect(a.days).toHaveLength(1);
    expect(a.totals.sessions).toEqual({
      attempts: 3,
      connected: 2,
      successRate: 0.6667,
      ended: 1,
      endedBy: { ended: 1 },
      turns: 4,
    });
    expect(a.totals.modes).toEqual({ websocket: 1, text: 1 });
    expect(a.totals.fallbacks.byReason).toEqual({ webrtc_failed: 1 });
    expect(a.totals.errors).toEqual({ byCode: { mic_denied: 1 }, rate: 0.3333 });
    // Bucket upper bounds: 90 ms is in (75, 100], 420 ms in (400, 500].
    expect(a.totals.connectMs).toEqual({ p50: 100, p95: 500 });
    // The added figures (the shape keeps its fields): page ready 180 ms in (150, 200], sync 640 in (600, 750].
    expect(a.totals.pageMs).toEqual({ p50: 200, p95: 200 });
    expect(a.totals.avatar.syncMs).toEqual({ p50: 750, p95: 750 });
    expect(await counter(t.id, 'widget.session_end.turns')).toBe(4);
  });

  it('caps the events of one session and takes none when the tenant turned telemetry off', async () => {
    const t = await createTenant();
    const s = session();
    const batch = Array.from({ length: 200 }, () => ({ name: 'reconnect' as const }));
    for (let sent = 0; sent < SESSION_EVENT_CAP; sent += 200) {
      expect((await sendEvents(t.publishableKey, { session: s, events: batch })).status).toBe(202);
    }
    const over = await expectError(
      await sendEvents(t.publishableKey, { session: s, events: [{ name: 'reconnect' }] }),
      429,
      'rate_limited',
    );
    expect(over.error.requestId).toBeTruthy();
    // Another session of the same tenant is not affected.
    expect((await sendEvents(t.publishableKey, { session: session(), events: [{ name: 'reconnect' }] })).status).toBe(
      202,
    );

    const off = await createTenant({ settings: { telemetry: { enabled: false } } });
    const res = await sendEvents(off.publishableKey, { session: session(), events: [{ name: 'connect_attempt' }] });
    expect(await res.json()).toMatchObject({ accepted: 0, telemetry: 'off' });
    const boot = await call(`/v1/bootstrap?key=${off.publishableKey}`, {
      headers: { Origin: 'https://studio.example.com' },
    });
    expect((await boot.json<{ telemetry?: unknown }>()).telemetry).toEqual({ enabled: false });
    await eventually(
      'the reconnects',
      () => counter(t.id, 'widget.reconnect'),
      (n) => n === SESSION_EVENT_CAP + 1,
    );
    expect(await counter(off.id, 'widget.connect_attempt')).toBe(0);
  });

  it('validates the admin queries and answers every day of the range, empty ones with zeros', async () => {
    const t = await createTenant();
    await expectError(
      await call('/admin/analytics?from=2026-01-02&to=2026-01-01', { headers: ADMIN }),
      400,
      'invalid_request',
    );
    await expectError(
      await call('/admin/analytics?from=2026-02-30&to=2026-03-01', { headers: ADMIN }),
      400,
      'invalid_request',
    );
    await expectError(
      await call('/admin/analytics?from=2020-01-01&to=2026-01-01', { headers: ADMIN }),
      400,
      'invalid_request',
    );
    await expectError(
      await call('/admin/analytics?tenant=nobody-here&from=2026-01-01&to=2026-01-01', { headers: ADMIN }),
      404,
      'not_found',
    );
    await expectError(await call('/admin/analytics?from=2026-01-01&to=2026-01-01'), 401, 'unauthorized');
    const a = await getAnalytics(t.id, '2025-12-30', '2026-01-02');
    expect(a.days.map((d) => d.date)).toEqual(['2025-12-30', '2025-12-31', '2026-01-01', '2026-01-02']);
    expect(a.totals).toMatchObject({
      sessions: { attempts: 0, connected: 0, successRate: null },
      connectMs: { p50: null, p95: null },
      costUsd: 0,
    });
  });
});
