// Server facts through the real queue consumer: sessions, relay ends with tokens, TTS, generations, provider calls.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, createTenant, ORIGIN, postJson, tenantHeaders } from './helpers.ts';
import { counter, eventually, getAnalytics } from './analytics-helpers.ts';
import { KEYWORDS } from './generation-helpers.ts';
import { openRelay } from './relay-client.ts';

describe('server facts', () => {
  it('a relay session: granted with its mode, its end with bytes and reason, tokens from response.done priced', async () => {
    const t = await createTenant({ allowedModes: ['text', 'websocket', 'webrtc'] });
    const { client } = await openRelay(t.publishableKey, 'text');
    client.send({
      type: 'conversation.item.create',
      item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'a wolf' }] },
    });
    client.send({ type: 'response.create' });
    await client.event('response.done', 0, 10_000);
    client.close();
    await client.closed();
    await eventually(
      'the relay end',
      () => counter(t.id, 'server.relay_end'),
      (n) => n === 1,
    );
    expect(await counter(t.id, 'server.session_granted.mode=text')).toBe(1);
    expect(await counter(t.id, 'server.relay_end.reason=client_closed')).toBe(1);
    expect(await counter(t.id, 'server.relay_end.bytes')).toBeGreaterThan(0);
    // The fake's usage (test/fakes/realtime-session.js): 80 in (20 audio), 40 out (30 audio).
    await eventually(
      'the tokens',
      () => counter(t.id, 'server.tokens.inputAudioTokens'),
      (n) => n === 20,
    );
    expect(await counter(t.id, 'server.tokens.inputTextTokens')).toBe(60);
    expect(await counter(t.id, 'server.tokens.outputAudioTokens')).toBe(30);
    expect(await counter(t.id, 'server.tokens.outputTextTokens')).toBe(10);
    // 60 x $4 + 20 x $32 + 10 x $16 + 30 x $64 per million.
    expect((await getAnalytics(t.id)).totals.costUsd).toBeCloseTo(0.00296, 4);
  });

  it('a refused session is recorded with its code', async () => {
    const t = await createTenant({ allowedModes: ['text'] });
    const res = await postJson('/v1/realtime/session', t.publishableKey, { mode: 'websocket' });
    expect(res.status).toBe(400);
    await eventually(
      'the refusal',
      () => counter(t.id, 'server.session_refused.code=mode_not_allowed'),
      (n) => n === 1,
    );
  });

  it('speech: characters, time to audio and its price; the ElevenLabs call with its latency', async () => {
    const t = await createTenant();
    const text = 'Your dragon sleeve is ready.';
    const res = await call('/v1/tts', {
      method: 'POST',
      headers: tenantHeaders(t.publishableKey, ORIGIN, { 'Content-Type': 'application/json' }),
      body: JSON.stringify({ text }),
    });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    const a = await eventually(
      'the speech',
      () => getAnalytics(t.id),
      (r) => r.totals.tts.characters === text.length,
    );
    expect(a.totals.tts.synthMs.p95).toBeGreaterThan(0);
    expect(a.totals.costUsd).toBeCloseTo(text.length * 0.00018, 4);
    expect(await counter(t.id, 'server.provider_call.provider=elevenlabs')).toBeGreaterThanOrEqual(1);
  });

  it('a sandbox generation: requested, first concept and done with its time', async () => {
    const t = await createTenant();
    const res = await postJson('/v1/handoff', t.publishableKey, { keywords: KEYWORDS, sessionId: null });
    expect(res.status).toBe(202);
    const a = await eventually(
      'the generation',
      () => getAnalytics(t.id),
      (r) => r.totals.generations.done === 1,
    );
    expect(a.totals.generations).toMatchObject({ requested: 1, done: 1, failed: 0 });
    expect(a.totals.generations.firstConceptMs.p50).not.toBeNull();
  });

  it('keeps nothing about the visitor: no IP, no session id, no visitor hash in any analytics row', async () => {
    const rows = await env.DB.prepare('SELECT metric FROM analytics_counters').all<{ metric: string }>();
    expect(rows.results.length).toBeGreaterThan(0);
    for (const { metric } of rows.results) expect(metric).toMatch(/^[a-z0-9_.=-]+$/i);
    expect(rows.results.some((r) => /\d+\.\d+\.\d+\.\d+/.test(r.metric))).toBe(false);
  });
});
