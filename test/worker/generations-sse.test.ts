import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { eventStream } from '../../worker/handoff/sse.ts';
import { appendEvent } from '../../worker/handoff/store.ts';
import { call, createTenant, expectError, tenantHeaders } from './helpers.ts';
import { getStatus, handoffOk, openEvents, readSse, type SseEvent } from './generation-helpers.ts';

const SANDBOX = { handoff: { target: 'sandbox' } };
const WEBHOOK = {
  handoff: {
    target: 'webhook',
    webhookUrl: 'http://127.0.0.1:9/never-reached',
    webhookSecret: 'whsec_unused_0123456789',
  },
};
const types = (events: SseEvent[]) => events.map((e) => e.event);
const ids = (events: SseEvent[]) => events.map((e) => Number(e.id));

async function waitForEnd(id: string, key: string) {
  for (let i = 0; i < 100; i++) {
    const g = await getStatus(id, key);
    if (g.status === 'done' || g.status === 'error') return g;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('generation did not end');
}

/** Records a queued webhook generation without dispatching it, so only the test writes its further events. */
async function recordQueued(tenantId: string) {
  const id = crypto.randomUUID();
  await env.DB.batch([
    env.DB.prepare(
      "INSERT INTO generations (id, tenant_id, keywords, prompt, target, quota_month) VALUES (?, ?, '{}', 'p', 'webhook', '2026-01')",
    ).bind(id, tenantId),
    env.DB.prepare("INSERT INTO generation_events (generation_id, seq, type, data) VALUES (?, 1, 'queued', '{}')").bind(
      id,
    ),
  ]);
  return id;
}

describe('GET /v1/generations/:id/events', () => {
  it('streams a sandbox generation live: queued, progress, three concepts, done, then closes', async () => {
    const t = await createTenant({ settings: SANDBOX });
    const { generationId, background } = await handoffOk(t.publishableKey);
    const res = await openEvents(generationId, t.publishableKey);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(res.headers.get('cache-control')).toContain('no-cache');
    expect(res.headers.get('access-control-allow-origin')).toBe('https://studio.example.com');
    const { events, real, closed } = await readSse(res);
    await background;
    expect(closed).toBe(true);
    expect(events[0]).toEqual({ retry: '3000' });

    expect(real[0]!.event).toBe('queued');
    expect(real.at(-1)!.event).toBe('done');
    expect(JSON.parse(real.at(-1)!.data!)).toEqual({ concepts: 3 });
    expect(types(real).filter((x) => x === 'concept')).toHaveLength(3);
    expect(types(real).filter((x) => x === 'progress').length).toBeGreaterThanOrEqual(3);
    expect(ids(real)).toEqual(real.map((_, i) => i + 1)); // every event has its seq as id, none missing

    const progress = real
      .filter((e) => e.event === 'progress')
      .map((e) => JSON.parse(e.data!) as { percent: number; stage: string });
    expect(progress.map((p) => p.percent)).toEqual([...progress.map((p) => p.percent)].sort((a, b) => a - b));
    expect(new Set(progress.map((p) => p.stage))).toEqual(new Set(['composing', 'drawing', 'finishing']));
    const concepts = real
      .filter((e) => e.event === 'concept')
      .map((e) => JSON.parse(e.data!) as { index: number; imageUrl: string; alt: string });
    expect(concepts.map((c) => c.index)).toEqual([0, 1, 2]);
    for (const c of concepts) {
      expect(c.imageUrl).toMatch(/^data:image\/svg\+xml;base64,/);
      expect(c.alt).toContain('wolf');
    }
  });

  it('resumes after a disconnect with exactly the missed events (Last-Event-ID header or lastEventId query)', async () => {
    const t = await createTenant({ settings: SANDBOX });
    const { generationId, background } = await handoffOk(t.publishableKey);
    // Drop the connection right after the first concept arrives, while the generator is still drawing.
    const first = await readSse(await openEvents(generationId, t.publishableKey), (ev) =>
      ev.some((e) => e.event === 'concept'),
    );
    expect(first.closed).toBe(false);
    const lastSeen = first.real.at(-1)!; // the concept, or a later event that came in the same chunk
    expect(types(first.real)).not.toContain('done');
    expect((await getStatus(generationId, t.publishableKey)).status).toBe('running');
    await background;

    const all = (await readSse(await openEvents(generationId, t.publishableKey))).real;
    const missed = all.filter((e) => Number(e.id) > Number(lastSeen.id));
    expect(missed.length).toBeGreaterThanOrEqual(3);
    expect(all.slice(0, first.real.length)).toEqual(first.real);

    const resumed = await readSse(await openEvents(generationId, t.publishableKey, { 'Last-Event-ID': lastSeen.id! }));
    expect(resumed.closed).toBe(true);
    expect(resumed.real).toEqual(missed);
    const viaQuery = await readSse(await openEvents(generationId, t.publishableKey, {}, `?lastEventId=${lastSeen.id}`));
    expect(viaQuery.real).toEqual(missed);
  });

  it('follows events written later by another request, with heartbeats while idle', async () => {
    const t = await createTenant({ settings: WEBHOOK });
    const id = await recordQueued(t.id);
    const stream = eventStream(env, id, 0, {
      pollMs: 20,
      maxPollMs: 40,
      heartbeatMs: 60,
      maxMs: 10_000,
      stallCheckMs: 10_000,
    });
    const later = (async () => {
      await new Promise((r) => setTimeout(r, 200));
      await appendEvent(env, id, 'progress', { percent: 40, stage: 'rendering' });
      await new Promise((r) => setTimeout(r, 100));
      await appendEvent(env, id, 'done', { concepts: 0 });
    })();
    const { events, closed } = await readSse(new Response(stream));
    await later;
    expect(closed).toBe(true);
    expect(events.some((e) => e.comment === 'hb')).toBe(true);
    expect(events.filter((e) => e.event).map((e) => [e.id, e.event])).toEqual([
      ['1', 'queued'],
      ['2', 'progress'],
      ['3', 'done'],
    ]);
    expect(await appendEvent(env, id, 'progress', { percent: 50, stage: 'late' })).toBeNull(); // nothing after done
  });

  it('ends a stream after its maximum life so the client reconnects, and answers 204 once nothing is left', async () => {
    const t = await createTenant({ settings: WEBHOOK });
    const id = await recordQueued(t.id);
    const started = Date.now();
    const { closed, real } = await readSse(
      new Response(
        eventStream(env, id, 0, { pollMs: 20, maxPollMs: 40, heartbeatMs: 1_000, maxMs: 150, stallCheckMs: 10_000 }),
      ),
    );
    expect(closed).toBe(true);
    expect(types(real)).toEqual(['queued']);
    expect(Date.now() - started).toBeLessThan(2_000);

    await appendEvent(env, id, 'done', { concepts: 0 });
    const resumed = await openEvents(id, t.publishableKey, { 'Last-Event-ID': '2' });
    expect(resumed.status).toBe(204);
    expect((await openEvents(id, t.publishableKey, { 'Last-Event-ID': '1' })).status).toBe(200);
  });

  it('shows a generation only to the tenant that owns it', async () => {
    const owner = await createTenant({ settings: SANDBOX });
    const other = await createTenant({ settings: SANDBOX });
    const { generationId, background } = await handoffOk(owner.publishableKey);
    await background;
    await expectError(await openEvents(generationId, other.publishableKey), 404, 'not_found');
    await expectError(
      await call(`/v1/generations/${generationId}`, { headers: tenantHeaders(other.publishableKey) }),
      404,
      'not_found',
    );
    await expectError(await openEvents(crypto.randomUUID(), owner.publishableKey), 404, 'not_found');
    await expectError(await openEvents('not-a-uuid', owner.publishableKey), 404, 'not_found');
    await expectError(
      await openEvents(generationId, owner.publishableKey, { 'Last-Event-ID': 'abc' }),
      400,
      'invalid_request',
    );
    // EventSource cannot send headers: the key in the query string is enough for GET.
    const viaKey = await call(`/v1/generations/${generationId}/events?key=${owner.publishableKey}`, {
      headers: { Origin: 'https://studio.example.com' },
    });
    expect(viaKey.status).toBe(200);
    await viaKey.body?.cancel();
    expect((await waitForEnd(generationId, owner.publishableKey)).status).toBe('done');
  });
});
