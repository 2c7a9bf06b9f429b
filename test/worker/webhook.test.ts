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
  ((await (await fetch(`${RECEIVER}/__log?name=${name}`)).json()) as { received: Received[] }).received;

let n = 0;
async function webhookTenant(kind: 'hook' | 'fail' | 'redirect' = 'hook', extra: Record<string, unknown> = {}) {
  const name = `r${Date.now().toString(36)}${n++}`;
  const tenant = await createTenant({ settings: { handoff: { target: 'webhook', webhookUrl: `${RECEIVER}/${kind}/${name}`, webhookSecret: SECRET } }, ...extra });
  return { tenant, name };
}

/** What a tenant's server does: sign the exact body it sends. No publishable key, no Origin: it is not a browser. */
async function callback(id: string, body: unknown, opts: { secret?: string; now?: number; tamper?: (raw: string) => string } = {}) {
  const raw = JSON.stringify(body);
  const headers = await signWebhook(opts.secret ?? SECRET, raw, opts.now);
  return call(`/v1/generations/${id}/callback`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: opts.tamper ? opts.tamper(raw) : raw,
  });
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
    expect(await getStatus(generationId, tenant.publishableKey)).toMatchObject({ status: 'running', stage: 'dispatched', progress: 5 });
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
    const again = await callback(generationId, { type: 'concept', index: 0, imageUrl: 'https://cdn.tenant.example/c/1.png' });
    expect(await again.json()).toEqual({ ok: true, duplicate: true });
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
    const tampered = await callback(generationId, { type: 'concept', imageUrl: 'https://cdn.tenant.example/ok.png' }, { tamper: () => JSON.stringify(evil) });
    await expectError(tampered, 401, 'invalid_signature');
    await expectError(await callback(generationId, evil, { now: Date.now() - 6 * 60_000 }), 401, 'invalid_signature');
    await expectError(await callback(generationId, evil, { now: Date.now() + 6 * 60_000 }), 401, 'invalid_signature');
    await expectError(await callback(generationId, evil, { secret: 'whsec_not_the_tenants_secret' }), 401, 'invalid_signature');
    const unsigned = await call(`/v1/generations/${generationId}/callback`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(evil) });
    await expectError(unsigned, 401, 'invalid_signature');
    expect(await lastSeq(env, generationId)).toBe(before);

    // Signed but malformed: a client error, never a 5xx.
    await expectError(await callback(generationId, { type: 'concept', imageUrl: 'javascript:alert(1)' }), 400, 'invalid_request');
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
    expect(await getStatus(generationId, tenant.publishableKey)).toMatchObject({ status: 'error', errorCode: 'render_failed' });
    expect((await generationsUsed(tenant.id)).used).toBe(0);
    // A replayed error (within the window) changes nothing, and the unit is not given back twice.
    await expectError(await callback(generationId, { type: 'error' }), 409, 'generation_finished');
    expect((await generationsUsed(tenant.id)).used).toBe(0);
  });
});
