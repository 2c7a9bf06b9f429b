import { beforeEach, describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { buildPrompt } from '../../worker/handoff/prompt.ts';
import { IMAGE_MODEL } from '../../worker/handoff/openai-images.ts';
import { drawCard, escapeXml } from '../../worker/handoff/sandbox-generator.ts';
import { emptyKeywords, type Keywords } from '../../widget/keywords/types.ts';
import { call, createTenant, expectError, fakeOpenAI, postJson, tenantHeaders } from './helpers.ts';
import {
  decodeDataUrl,
  generationsUsed,
  getStatus,
  handoffOk,
  KEYWORDS,
  openEvents,
  readSse,
  startHandoff,
} from './generation-helpers.ts';

const SANDBOX = { handoff: { target: 'sandbox' } };
const handoff = (key: string, body: unknown) => postJson('/v1/handoff', key, body);

describe('POST /v1/handoff: validation', () => {
  it('refuses malformed bodies and keywords with stable codes, spending nothing', async () => {
    const t = await createTenant({ settings: SANDBOX });
    const raw = (body: string, type = 'application/json') =>
      call('/v1/handoff', {
        method: 'POST',
        headers: tenantHeaders(t.publishableKey, undefined, { 'Content-Type': type }),
        body,
      });
    await expectError(await raw('{"keywords":', 'application/json'), 400, 'invalid_json');
    await expectError(await raw('{}', 'text/plain'), 415, 'unsupported_media_type');
    await expectError(await handoff(t.publishableKey, {}), 400, 'invalid_request');
    const wrongType = await expectError(
      await handoff(t.publishableKey, { keywords: { ...KEYWORDS, subject: 'wolf' } }),
      400,
      'invalid_request',
    );
    expect(wrongType.error.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'keywords.subject' })]),
    );
    await expectError(
      await handoff(t.publishableKey, { keywords: { ...KEYWORDS, notes: 'x' } }),
      400,
      'invalid_request',
    );
    await expectError(
      await handoff(t.publishableKey, {
        keywords: { ...KEYWORDS, elements: Array.from({ length: 13 }, (_, i) => `e${i}`) },
      }),
      400,
      'invalid_request',
    );
    await expectError(
      await handoff(t.publishableKey, { keywords: { ...KEYWORDS, subject: ['w'.repeat(61)] } }),
      400,
      'invalid_request',
    );
    await expectError(
      await handoff(t.publishableKey, { keywords: { ...KEYWORDS, lettering: 'x'.repeat(81) } }),
      400,
      'invalid_request',
    );
    await expectError(
      await handoff(t.publishableKey, { keywords: { ...KEYWORDS, mood: ['dark\u0000'] } }),
      400,
      'invalid_request',
    );
    await expectError(
      await handoff(t.publishableKey, { keywords: KEYWORDS, sessionId: 'bad id!' }),
      400,
      'invalid_request',
    );
    await expectError(await handoff(t.publishableKey, { keywords: KEYWORDS, extra: 1 }), 400, 'invalid_request');

    const incomplete = await handoff(t.publishableKey, { keywords: { ...KEYWORDS, subject: [], elements: [] } });
    await expectError(incomplete, 400, 'keywords_incomplete');
    await expectError(await handoff(t.publishableKey, { keywords: { subject: ['  '] } }), 400, 'invalid_request');
    await expectError(
      await handoff(t.publishableKey, { keywords: { style: ['blackwork'] } }),
      400,
      'keywords_incomplete',
    );

    expect((await generationsUsed(t.id)).used).toBe(0);
  });

  it('sits behind the publishable key and the origin allowlist', async () => {
    const t = await createTenant({ settings: SANDBOX });
    await expectError(
      await call('/v1/handoff', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: 'https://studio.example.com' },
        body: '{}',
      }),
      401,
      'unknown_key',
    );
    await expectError(
      await postJson('/v1/handoff', t.publishableKey, { keywords: KEYWORDS }, 'https://evil.example.net'),
      403,
      'origin_not_allowed',
    );
  });

  it('refuses a webhook target that is not fully configured, before spending a unit', async () => {
    const t = await createTenant({
      settings: { handoff: { target: 'webhook', webhookUrl: 'https://hooks.example.com/x' } },
    });
    await expectError(await handoff(t.publishableKey, { keywords: KEYWORDS }), 409, 'handoff_not_configured');
    expect((await generationsUsed(t.id)).used).toBe(0);
  });

  it('accepts partial keywords: missing lists are empty, missing values null', async () => {
    const t = await createTenant({ settings: SANDBOX });
    const { generationId, background } = await handoffOk(t.publishableKey, {
      elements: ['anchor'],
    } as unknown as Keywords);
    await background;
    const g = await getStatus(generationId, t.publishableKey);
    expect(g.keywords).toEqual({ ...emptyKeywords(), elements: ['anchor'] });
    expect(g.status).toBe('done');
  });
});

describe('POST /v1/handoff: sandbox', () => {
  it('answers 202 at once, persists the generation and draws three SVG cards', async () => {
    const t = await createTenant({ settings: SANDBOX });
    const before = Date.now();
    const started = await startHandoff(t.publishableKey, {
      keywords: { ...KEYWORDS, lettering: '<script>alert("x")</script> & co' },
      sessionId: 'sess-42',
    });
    expect(Date.now() - before).toBeLessThan(800); // the generation runs after the response
    expect(started.res.status).toBe(202);
    const body = await started.res.json<{ generationId: string; eventsUrl: string; target: string }>();
    expect(body.generationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.target).toBe('sandbox');
    expect(body.eventsUrl).toBe(`https://vb.test/v1/generations/${body.generationId}/events?key=${t.publishableKey}`);

    const queued = await env.DB.prepare('SELECT tenant_id, session_id, status, target FROM generations WHERE id = ?')
      .bind(body.generationId)
      .first();
    expect(queued).toMatchObject({ tenant_id: t.id, session_id: 'sess-42', target: 'sandbox' });
    await started.background;

    const g = await getStatus(body.generationId, t.publishableKey);
    expect(g).toMatchObject({ status: 'done', progress: 100, stage: 'done', errorCode: null, target: 'sandbox' });
    expect(g.prompt).toBe(buildPrompt({ ...KEYWORDS, lettering: '<script>alert("x")</script> & co' }));
    expect(g.concepts.map((c) => c.index)).toEqual([0, 1, 2]);
    const svgs = g.concepts.map((c) => decodeDataUrl(c.imageUrl));
    for (const svg of svgs) {
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
      expect(svg).not.toContain('<script');
      expect(svg).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co');
      expect(svg).toContain('wolf');
      expect(svg).toContain('forearm');
    }
    expect(new Set(svgs).size).toBe(3); // three variations, not one card three times
    expect(g.concepts[0]!.alt).toMatch(
      /^Concept 1 of 3, badge: traditional wolf, moon and star, black and grey, for the forearm/,
    );
    expect((await generationsUsed(t.id)).used).toBe(1);
  });

  it('takes the palette from the colours and escapes every text for XML', () => {
    const red = drawCard({ ...KEYWORDS, colors: ['red'] }, 0);
    expect(red).toContain('#c0392b');
    expect(red).not.toContain('#9a9a9a');
    expect(escapeXml(`a<b>&"c'\u0001`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;');
  });

  it('holds the monthly generation limit under 50 concurrent handoffs', async () => {
    const t = await createTenant({
      settings: SANDBOX,
      limits: { generationsPerMonth: 20, requestsPerMinute: 100_000 },
    });
    const started = await Promise.all(
      Array.from({ length: 50 }, () => startHandoff(t.publishableKey, { keywords: KEYWORDS })),
    );
    const statuses = started.map((s) => s.res.status);
    expect(statuses.filter((s) => s === 202)).toHaveLength(20);
    expect(statuses.filter((s) => s === 402)).toHaveLength(30);
    const refused = started.find((s) => s.res.status === 402)!;
    expect((await refused.res.json<{ error: { code: string } }>()).error.code).toBe('quota_exceeded');
    await Promise.all(started.map((s) => s.background));
    expect(await generationsUsed(t.id)).toEqual({ used: 20, limit: 20 });
    const rows = await env.DB.prepare("SELECT COUNT(*) AS n FROM generations WHERE tenant_id = ? AND status = 'done'")
      .bind(t.id)
      .first<{ n: number }>();
    expect(rows?.n).toBe(20);
  });
});

describe('POST /v1/handoff: openai-images', () => {
  beforeEach(() => fakeOpenAI.reset());
  const imageLog = async () =>
    (
      await (
        await fetch(`${env.OPENAI_BASE_URL}/__fake/log`)
      ).json<{
        requests: Array<{ path: string; keyOk: boolean; body: Record<string, unknown> | null }>;
      }>()
    ).requests.filter((r) => r.path === '/v1/images/generations');
  const scriptImages = (...responses: Array<{ status?: number; empty?: boolean }>) =>
    fetch(`${env.OPENAI_BASE_URL}/__fake/next`, {
      method: 'POST',
      body: JSON.stringify({ endpoint: 'images', responses }),
    });

  it('is the default target when the server has a key, and stores the images as concepts', async () => {
    const t = await createTenant();
    const { generationId, target, background } = await handoffOk(t.publishableKey);
    expect(target).toBe('openai-images');
    await background;
    const g = await getStatus(generationId, t.publishableKey);
    expect(g).toMatchObject({ status: 'done', progress: 100 });
    expect(g.concepts).toHaveLength(3);
    for (const c of g.concepts) expect(c.imageUrl).toMatch(/^data:image\/jpeg;base64,\/9j\//);
    expect(g.concepts[2]!.alt).toMatch(/^Concept 3 of 3: traditional wolf/);
    const [sent] = await imageLog();
    expect(sent!.keyOk).toBe(true);
    expect(sent!.body).toMatchObject({
      model: IMAGE_MODEL,
      prompt: buildPrompt(KEYWORDS),
      n: 3,
      size: '1024x1024',
      output_format: 'jpeg',
    });
  });

  it('falls back to the sandbox when the server has no OpenAI key', async () => {
    const t = await createTenant({ settings: { handoff: { target: 'openai-images' } } });
    const { target, background } = await handoffOk(t.publishableKey, KEYWORDS, { OPENAI_API_KEY: '' });
    expect(target).toBe('sandbox');
    await background;
    expect(await imageLog()).toHaveLength(0);
  });

  it('ends a failed call in an error event and gives the unit back', async () => {
    const t = await createTenant({
      settings: { handoff: { target: 'openai-images' } },
      limits: { generationsPerMonth: 1 },
    });
    await scriptImages({ status: 401 });
    const first = await handoffOk(t.publishableKey);
    await first.background;
    const { real } = await readSse(await openEvents(first.generationId, t.publishableKey));
    const error = real.at(-1)!;
    expect(error.event).toBe('error');
    expect(JSON.parse(error.data!)).toEqual({ code: 'provider_auth_failed', message: expect.any(String) });
    expect(JSON.stringify(real)).not.toContain('sk-');
    expect((await getStatus(first.generationId, t.publishableKey)).errorCode).toBe('provider_auth_failed');
    expect((await generationsUsed(t.id)).used).toBe(0);

    await scriptImages({ empty: true });
    const second = await handoffOk(t.publishableKey);
    await second.background;
    expect((await getStatus(second.generationId, t.publishableKey)).errorCode).toBe('provider_error');
    expect((await generationsUsed(t.id)).used).toBe(0);

    const third = await handoffOk(t.publishableKey); // the unit is really back: the limit of 1 still allows one
    await third.background;
    expect((await getStatus(third.generationId, t.publishableKey)).status).toBe('done');
    await expectError(await handoff(t.publishableKey, { keywords: KEYWORDS }), 402, 'quota_exceeded');
  });
});

describe('prompt builder', () => {
  it('is deterministic, keeps the given order and turns exclusions into "no ..."', () => {
    const k: Keywords = { ...KEYWORDS, exclude: ['rose', 'full-color'], style: ['fine-line', 'blackwork'] };
    expect(buildPrompt(k)).toBe(buildPrompt(structuredClone(k)));
    expect(buildPrompt(k)).toBe(
      'Tattoo design concept. Subject: wolf. With: moon, star. Style: fine line, blackwork. Colours: black and grey. ' +
        'Placement: forearm, composed to fit that area. Size: medium. Mood: dark. Lettering: the words "Stay wild", spelled exactly. ' +
        'Avoid: no rose, no full color. Clean tattoo flash artwork on a plain background; no skin, no body, no photo mockup, no watermark.',
    );
    expect(buildPrompt({ ...k, lettering: 'say "hi"' })).toContain(`the words "say 'hi'"`);
    expect(buildPrompt({ ...emptyKeywords(), subject: ['koi'] })).toBe(
      'Tattoo design concept. Subject: koi. Clean tattoo flash artwork on a plain background; no skin, no body, no photo mockup, no watermark.',
    );
  });
});

describe('stalled generations', () => {
  it('are failed on the next read and their unit given back', async () => {
    const t = await createTenant({ settings: SANDBOX });
    const { generationId, background } = await handoffOk(t.publishableKey);
    await background;
    // Pretend the isolate died mid-way: reopen the finished row as running, silent for two minutes.
    await env.DB.batch([
      env.DB.prepare("DELETE FROM generation_events WHERE generation_id = ? AND type IN ('concept', 'done')").bind(
        generationId,
      ),
      env.DB.prepare("UPDATE generations SET status = 'running', updated_at = ? WHERE id = ?").bind(
        new Date(Date.now() - 120_000).toISOString(),
        generationId,
      ),
    ]);
    const g = await getStatus(generationId, t.publishableKey);
    expect(g).toMatchObject({ status: 'error', errorCode: 'generation_timeout' });
    expect((await generationsUsed(t.id)).used).toBe(0);
  });
});

describe('POST /v1/handoff: feature flag', () => {
  it('refuses with 403 feature_disabled while keywords.handoff is off, and spends nothing', async () => {
    const t = await createTenant();
    const bulk = (enabled: boolean) =>
      call('/admin/flags/bulk', {
        method: 'POST',
        headers: { Authorization: 'Bearer test-admin-token', 'Content-Type': 'application/json' },
        body: JSON.stringify({ changes: [{ key: 'keywords.handoff', enabled }], note: 'handoff flag test' }),
      });
    expect((await bulk(false)).status).toBe(200);
    try {
      const res = await postJson('/v1/handoff', t.publishableKey, { keywords: KEYWORDS, uid: 'visitor-1' });
      await expectError(res, 403, 'feature_disabled');
      expect((await generationsUsed(t.id)).used).toBe(0);
    } finally {
      expect((await bulk(true)).status).toBe(200);
    }
  });
});
