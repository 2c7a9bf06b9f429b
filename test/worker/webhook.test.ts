import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { signWebhook, verifyWebhook } from '../../worker/handoff/signature.ts';
import { lastSeq } from '../../worker/handoff/store.ts';
import { call, createTenant, expectError } from './helpers.ts';
import { generationsUsed, getStatus, handoffOk, KEYWORDS, openEvents, readSse } from './generation-helpers.ts';

const RECEIVER = (env as unknown as { WEBHOOK_RECEIVER_URL: string }).WEBHOOK_RECEIVER_URL;
const SECRET = 'whsec_test_0123456789abcdef'; // test/fakes/webhook-receiver.js verifies with this one

interface Received {
  kind: string;
  contentType: string;
  timestamp: string;
  signature: string;
  signatureOk: boolean;
  raw: string;
  body: Record<string, unknown>;
}
const received = async (name: string) =>
  (await (await fetch(`${RECEIVER}/__log?name=${name}`)).json<{ received: Received[] }>()).received;

let n = 0;
async function webhookTenant(kind: 'hook' | 'fail' | 'redirect' = 'hook', extra: Record<string, unknown> = {}) {
  const name = `r${Date.now().toString(36)}${n++}`;
  const tenant = await createTenant({
    settings: { handoff: { target: 'webhook', webhookUrl: `${RECEIVER}/${kind}/${name}`, webhookSecret: SECRET } },
    ...extra,
  });
  return { tenant, name };
}

interface Signed {
  body: string;
  headers: Record<string, string>;
}
interface SignOptions {
  secret?: string;
  now?: number;
  eventId?: string;
}

/**
 * A callback as the tenant's server signs it: by the tenant side (test/fakes/webhook-receiver.js, Node's crypto, the
 * README's recipe), not by the Worker's own code, so both sides have to agree.
 */
async function signed(generationId: string, result: unknown, opts: SignOptions = {}): Promise<Signed> {
  const timestamp = opts.now === undefined ? undefined : Math.floor(opts.now / 1000);
  const body = JSON.stringify({ generationId, result, eventId: opts.eventId, secret: opts.secret, timestamp });
  // The fake's own signing service, not the code under test: a socket workerd's pool reused as Node closed it is
  // tried once more ("Network connection lost" under load).
  const sign = () => fetch(`${RECEIVER}/__sign`, { method: 'POST', body });
  const res = await sign().catch(sign);
  return await res.json<Signed>();
}

/** Delivers a signed callback. No publishable key, no Origin: the tenant's server is not a browser. */
const deliver = (id: string, { body, headers }: Signed, tamper?: (raw: string) => string) =>
  call(`/v1/generations/${id}/callback`, { method: 'POST', headers, body: tamper ? tamper(body) : body });

const callback = async (id: string, result: unknown, opts: SignOptions & { tamper?: (raw: string) => string } = {}) =>
  deliver(id, await signed(id, result, opts), opts.tamper);

async function startedWebhookGeneration(key: string) {
  const { generationId, background } = await handoffOk(key);
  await background;
  return generationId;
}

describe('webhook signature', () => {
  it('verifies what it signs and refuses tampering, other secrets, stale or future timestamps', async () => {
    const now = Date.now();
    const body = '{"type":"done"}';
    const h = await signWebhook(SECRET, body, now);
    const ts = h['X-Voice-Buddy-Timestamp']!;
    const sig = h['X-Voice-Buddy-Signature']!;
    expect(sig).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(await verifyWebhook(SECRET, body, ts, sig, now)).toEqual({ ok: true });
    expect(await verifyWebhook(SECRET, body, ts, sig, now + 299_000)).toEqual({ ok: true });
    expect((await verifyWebhook(SECRET, body, ts, sig, now + 301_000)).ok).toBe(false);
    expect((await verifyWebhook(SECRET, body, ts, sig, now - 301_000)).ok).toBe(false);
    expect((await verifyWebhook(SECRET, '{"type":"done" }', ts, sig, now)).ok).toBe(false);
    expect((await verifyWebhook('whsec_other_secret_0000', body, ts, sig, now)).ok).toBe(false);
    expect((await verifyWebhook(SECRET, body, String(Number(ts) + 1), sig, now)).ok).toBe(false); // timestamp is signed
    expect((await verifyWebhook(SECRET, body, ts, sig.replace('v1=', 'v0='), now)).ok).toBe(false);
    expect((await verifyWebhook(SECRET, body, ts, 'v1=zz', now)).ok).toBe(false);
    expect((await verifyWebhook(SECRET, body, null, sig, now)).ok).toBe(false);
    expect((await verifyWebhook(SECRET, body, '1e9', sig, now)).ok).toBe(false);
    // Rotation: the old and the new secret's signatures side by side.
    const old = (await signWebhook('whsec_previous_secret_00', body, now))['X-Voice-Buddy-Signature'];
    expect(await verifyWebhook(SECRET, body, ts, `${old}, ${sig}`, now)).toEqual({ ok: true });
  });
});

describe('webhook target', () => {
  it('posts a signed job that the receiver verifies on its own', async () => {
    const { tenant, name } = await webhookTenant();
    const { generationId, target, background } = await handoffOk(tenant.publishableKey);
    expect(target).toBe('webhook');
    await background;
    const [job, ...more] = await received(name);
    expect(more).toHaveLength(0);
    expect(job!.signatureOk).toBe(true);
    expect(job!.contentType).toBe('application/json');
    expect(Math.abs(Number(job!.timestamp) - Date.now() / 1000)).toBeLessThan(10);
    expect(job!.body).toMatchObject({
      type: 'generation.requested',
      generationId,
      tenantId: tenant.id,
      sessionId: 'sess-1',
      keywords: KEYWORDS,
      prompt: expect.stringContaining('Subject: wolf.'),
      callbackUrl: `https://vb.test/v1/generations/${generationId}/callback`,
    });
    expect(job!.raw).not.toContain(SECRET);
    expect(await getStatus(generationId, tenant.publishableKey)).toMatchObject({
      status: 'running',
      stage: 'dispatched',
      progress: 5,
    });
  });

  it('takes signed results on the callback (no key, no Origin) and streams them, a concept included', async () => {
    const { tenant } = await webhookTenant();
    const { generationId, background } = await handoffOk(tenant.publishableKey);
    await background;
    const stream = openEvents(generationId, tenant.publishableKey).then((res) => readSse(res));

    const progress = await callback(generationId, { type: 'progress', percent: 40, stage: 'rendering' });
    expect(progress.status).toBe(200);
    expect(await progress.json()).toEqual({ ok: true, seq: 3 });
    const concept = await callback(generationId, { type: 'concept', imageUrl: 'https://cdn.tenant.example/c/1.png' });
    expect(concept.status).toBe(200);
    const again = await callback(generationId, {
      type: 'concept',
      index: 0,
      imageUrl: 'https://cdn.tenant.example/c/1.png',
    });
    expect(await again.json()).toEqual({ ok: true, seq: 4, duplicate: true });
    expect((await callback(generationId, { type: 'done' })).status).toBe(200);

    const { real, closed } = await stream;
    expect(closed).toBe(true);
    expect(real.map((e) => e.event)).toEqual(['queued', 'progress', 'progress', 'concept', 'done']);
    expect(JSON.parse(real[3]!.data!)).toEqual({
      index: 0,
      imageUrl: 'https://cdn.tenant.example/c/1.png',
      alt: expect.stringMatching(/^Concept 1: traditional wolf, moon and star/),
    });
    expect(JSON.parse(real[4]!.data!)).toEqual({ concepts: 1 });
    await expectError(await callback(generationId, { type: 'progress', percent: 99 }), 409, 'generation_finished');
    expect((await generationsUsed(tenant.id)).used).toBe(1);
  });

  it('refuses a tampered body, an old or future timestamp, another secret and a missing signature', async () => {
    const { tenant } = await webhookTenant();
    const { generationId, background } = await handoffOk(tenant.publishableKey);
    await background;
    const before = await lastSeq(env, generationId);
    const evil = { type: 'concept', imageUrl: 'https://evil.example/x.png' };
    const tampered = await callback(
      generationId,
      { type: 'concept', imageUrl: 'https://cdn.tenant.example/ok.png' },
      { tamper: () => JSON.stringify(evil) },
    );
    await expectError(tampered, 401, 'invalid_signature');
    await expectError(await callback(generationId, evil, { now: Date.now() - 6 * 60_000 }), 401, 'invalid_signature');
    await expectError(await callback(generationId, evil, { now: Date.now() + 6 * 60_000 }), 401, 'invalid_signature');
    await expectError(
      await callback(generationId, evil, { secret: 'whsec_not_the_tenants_secret' }),
      401,
      'invalid_signature',
    );
    const unsigned = await call(`/v1/generations/${generationId}/callback`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(evil),
    });
    await expectError(unsigned, 401, 'invalid_signature');
    expect(await lastSeq(env, generationId)).toBe(before);

    // Signed but malformed: a client error, never a 5xx.
    await expectError(
      await callback(generationId, { type: 'concept', imageUrl: 'javascript:alert(1)' }),
      400,
      'invalid_request',
    );
    await expectError(await callback(generationId, { type: 'shipped' }), 400, 'invalid_request');
    await expectError(await callback(crypto.randomUUID(), { type: 'done' }), 404, 'not_found');
    const sandbox = await createTenant({ settings: { handoff: { target: 'sandbox' } } });
    const other = await handoffOk(sandbox.publishableKey);
    await other.background;
    await expectError(await callback(other.generationId, { type: 'done' }), 404, 'not_found');
  });

  it('gives the unit back and ends in an error event when the webhook fails or redirects', async () => {
    for (const kind of ['fail', 'redirect'] as const) {
      const { tenant, name } = await webhookTenant(kind, { limits: { generationsPerMonth: 1 } });
      const { generationId, background } = await handoffOk(tenant.publishableKey);
      await background;
      const { real } = await readSse(await openEvents(generationId, tenant.publishableKey));
      expect(real.map((e) => e.event)).toEqual(['queued', 'error']);
      expect(JSON.parse(real[1]!.data!)).toEqual({ code: 'webhook_rejected', message: expect.any(String) });
      expect(await generationsUsed(tenant.id)).toEqual({ used: 0, limit: 1 });
      expect(await received(name)).toHaveLength(1); // the redirect was not followed
    }
  });

  it('gives the unit back when the tenant reports an error before any concept', async () => {
    const { tenant } = await webhookTenant();
    const { generationId, background } = await handoffOk(tenant.publishableKey);
    await background;
    expect((await generationsUsed(tenant.id)).used).toBe(1);
    const res = await callback(generationId, { type: 'error', code: 'render_failed', message: 'GPU on fire' });
    expect(res.status).toBe(200);
    expect(await getStatus(generationId, tenant.publishableKey)).toMatchObject({
      status: 'error',
      errorCode: 'render_failed',
    });
    expect((await generationsUsed(tenant.id)).used).toBe(0);
    // A replayed error (within the window) changes nothing, and the unit is not given back twice.
    await expectError(await callback(generationId, { type: 'error' }), 409, 'generation_finished');
    expect((await generationsUsed(tenant.id)).used).toBe(0);
  });
});

describe('webhook callbacks: bound to their generation, each applied once', () => {
  it('answers a replayed callback as a duplicate, without effect, also when copies race', async () => {
    const { tenant } = await webhookTenant();
    const id = await startedWebhookGeneration(tenant.publishableKey);
    const at40 = await signed(id, { type: 'progress', percent: 40, stage: 'rendering' });
    expect(await (await deliver(id, at40)).json()).toEqual({ ok: true, seq: 3 });
    expect(await (await callback(id, { type: 'progress', percent: 80, stage: 'inking' })).json()).toEqual({
      ok: true,
      seq: 4,
    });

    // The identical request again, within the 5-minute window: nothing moves back to 40 %.
    const replay = await deliver(id, at40);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ ok: true, seq: 3, duplicate: true });
    // The same event id, re-signed with another timestamp, is still that event.
    const { eventId } = JSON.parse(at40.body) as { eventId: string };
    const resigned = await callback(
      id,
      { type: 'progress', percent: 40, stage: 'rendering' },
      { eventId, now: Date.now() - 60_000 },
    );
    expect(await resigned.json()).toEqual({ ok: true, seq: 3, duplicate: true });
    expect(await lastSeq(env, id)).toBe(4);
    expect(await getStatus(id, tenant.publishableKey)).toMatchObject({ progress: 80, stage: 'inking' });

    // Three copies of "done" at once: one is applied, the others are told it was.
    const done = await signed(id, { type: 'done' });
    const answers = await Promise.all([deliver(id, done), deliver(id, done), deliver(id, done)]);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    const bodies = (await Promise.all(answers.map((r) => r.json()))) as Array<{ seq: number; duplicate?: boolean }>;
    expect(bodies.filter((b) => !b.duplicate)).toHaveLength(1);
    expect(bodies.map((b) => b.seq)).toEqual([5, 5, 5]);
    // After the end a copy is still a duplicate (the tenant's retry succeeds); a new event is refused.
    expect(await (await deliver(id, done)).json()).toEqual({ ok: true, seq: 5, duplicate: true });
    await expectError(await callback(id, { type: 'progress', percent: 90 }), 409, 'generation_finished');
    expect(await lastSeq(env, id)).toBe(5);
  });

  it('refuses a callback signed for another generation: an error for one cannot fail another', async () => {
    const { tenant } = await webhookTenant();
    const a = await startedWebhookGeneration(tenant.publishableKey);
    const b = await startedWebhookGeneration(tenant.publishableKey);
    const errorForA = await signed(a, { type: 'error', code: 'render_failed' });
    const err = await expectError(await deliver(b, errorForA), 400, 'invalid_request');
    expect(err.error.details).toEqual([{ path: 'generationId', message: expect.stringContaining('callback URL') }]);
    expect(await getStatus(b, tenant.publishableKey)).toMatchObject({ status: 'running', errorCode: null });
    expect(await lastSeq(env, b)).toBe(2);
    expect((await generationsUsed(tenant.id)).used).toBe(2);
    // The callback works where it belongs.
    expect((await deliver(a, errorForA)).status).toBe(200);
    expect(await getStatus(a, tenant.publishableKey)).toMatchObject({ status: 'error', errorCode: 'render_failed' });
    expect((await generationsUsed(tenant.id)).used).toBe(1);

    // The old shape (no generationId, no eventId), correctly signed, is refused with what is missing.
    const raw = JSON.stringify({ type: 'error', code: 'render_failed' });
    const old = await call(`/v1/generations/${b}/callback`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(await signWebhook(SECRET, raw)) },
      body: raw,
    });
    const missing = await expectError(old, 400, 'invalid_request');
    expect((missing.error.details as Array<{ path: string }>).map((d) => d.path).sort()).toEqual([
      'eventId',
      'generationId',
    ]);
    expect(await getStatus(b, tenant.publishableKey)).toMatchObject({ status: 'running' });
  });

  it('keeps replays from filling the event cap, and lets a generation at the cap still finish', async () => {
    const { tenant } = await webhookTenant();
    const id = await startedWebhookGeneration(tenant.publishableKey);
    const progress = await signed(id, { type: 'progress', percent: 10 });
    for (let i = 0; i < 210; i++) expect((await deliver(id, progress)).status).toBe(200);
    expect(await lastSeq(env, id)).toBe(3);
    const concept = await callback(id, { type: 'concept', imageUrl: 'https://cdn.tenant.example/c/real.png' });
    expect(await concept.json()).toEqual({ ok: true, seq: 4 });

    // Distinct events do count: 200 a generation (queued and dispatched included).
    for (let seq = 5; seq <= 200; seq++)
      expect((await callback(id, { type: 'progress', percent: 50 })).status).toBe(200);
    await expectError(await callback(id, { type: 'progress', percent: 60 }), 409, 'too_many_events');
    await expectError(
      await callback(id, { type: 'concept', imageUrl: 'https://cdn.tenant.example/c/2.png' }),
      409,
      'too_many_events',
    );
    expect(await (await callback(id, { type: 'done' })).json()).toEqual({ ok: true, seq: 201 });
    expect(await getStatus(id, tenant.publishableKey)).toMatchObject({
      status: 'done',
      concepts: [expect.objectContaining({ index: 0 })],
    });
  });

  it('validates the event id', async () => {
    const { tenant } = await webhookTenant();
    const id = await startedWebhookGeneration(tenant.publishableKey);
    for (const eventId of ['', 'x'.repeat(101), 'has space', 'semi;colon']) {
      await expectError(await callback(id, { type: 'progress', percent: 5 }, { eventId }), 400, 'invalid_request');
    }
    expect(await lastSeq(env, id)).toBe(2);
  });
});
