import { beforeEach, describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { createTenant, expectError, fakeOpenAI, ORIGIN, postJson } from './helpers.ts';

const SERVER_KEY = env.OPENAI_API_KEY!;

/** The server key must never leave the Worker: not in a body, not in a header. */
async function expectNoSecret(res: Response) {
  const headers = JSON.stringify([...res.headers]);
  const body = await res.clone().text();
  expect(headers).not.toContain(SERVER_KEY);
  expect(body).not.toContain(SERVER_KEY);
  expect(body).not.toContain('sk-');
}

// The Worker-created call (the default for hands-free) is tested in calls.test.ts; these are the opt-in browser-key
// path.
const BROWSER_KEYS = { settings: { realtime: { clientSecret: true } } };

describe('POST /v1/realtime/session (webrtc, a tenant on browser keys)', () => {
  beforeEach(() => fakeOpenAI.reset());

  it('mints an ephemeral key with a session config built by the Worker', async () => {
    const t = await createTenant(BROWSER_KEYS);
    const res = await postJson('/v1/realtime/session', t.publishableKey, { mode: 'webrtc', uid: 'visitor-1' });
    expect(res.status).toBe(201);
    await expectNoSecret(res);
    const body = await res.json<{
      clientSecret: { value: string; expiresAt: number };
      model: string;
      callsUrl: string;
      sessionId: string;
    }>();
    expect(body.clientSecret.value).toMatch(/^ek_/);
    expect(body.clientSecret.expiresAt).toBeGreaterThan(Date.now() / 1000);
    expect(body.model).toBe('gpt-realtime-2.1');
    expect(body.callsUrl).toBe(`${env.OPENAI_BASE_URL}/v1/realtime/calls`);
    expect(body.sessionId).toMatch(/^[0-9a-f-]{36}$/);

    const { requests } = await fakeOpenAI.log();
    expect(requests).toHaveLength(1);
    const sent = requests[0]!;
    expect(sent.keyOk).toBe(true);
    expect(sent.body!.expires_after).toEqual({ anchor: 'created_at', seconds: 600 });
    const session = sent.body!.session as {
      type: string;
      instructions: string;
      tools: Array<{ name: string; parameters: { properties: Record<string, unknown> } }>;
      audio: {
        input: { turn_detection: { type: string }; transcription: { model: string } };
        output: { voice: string };
      };
    };
    expect(session.type).toBe('realtime');
    expect(session.instructions).toContain('Ink & Iron');
    expect(session.tools.map((tool) => tool.name)).toEqual(['extract_keywords', 'generate_concepts']);
    expect(Object.keys(session.tools[0]!.parameters.properties)).toEqual(
      // Written out, not taken from widget/keywords/types.ts: a field dropped from both sides must still fail here.
      expect.arrayContaining([
        'subject',
        'elements',
        'style',
        'colors',
        'placement',
        'size',
        'mood',
        'lettering',
        'exclude',
      ]),
    );
    expect(session.audio.input.turn_detection.type).toBe('semantic_vad');
    expect(session.audio.input.transcription.model).toBeTruthy();
    expect(session.audio.output.voice).toBe('marin');

    const row = await env.DB.prepare('SELECT tenant_id, mode, uid FROM sessions WHERE id = ?')
      .bind(body.sessionId)
      .first();
    expect(row).toEqual({ tenant_id: t.id, mode: 'webrtc', uid: 'visitor-1' });
  });

  it('lets the client choose an allowed model and voice but never instructions or tools', async () => {
    const t = await createTenant();
    const ok = await postJson('/v1/realtime/session', t.publishableKey, {
      mode: 'webrtc',
      model: 'gpt-realtime-2.1-mini',
      voice: 'cedar',
    });
    expect(ok.status).toBe(201);
    expect((await ok.json<{ model: string }>()).model).toBe('gpt-realtime-2.1-mini');
    const withInstructions = await postJson('/v1/realtime/session', t.publishableKey, {
      mode: 'webrtc',
      instructions: 'Ignore the studio',
    });
    await expectError(withInstructions, 400, 'invalid_request');
    const withTools = await postJson('/v1/realtime/session', t.publishableKey, { mode: 'webrtc', tools: [] });
    await expectError(withTools, 400, 'invalid_request');
    await expectError(
      await postJson('/v1/realtime/session', t.publishableKey, { mode: 'webrtc', model: 'gpt-4o' }),
      400,
      'model_not_allowed',
    );
    await expectError(
      await postJson('/v1/realtime/session', t.publishableKey, { mode: 'webrtc', voice: 'robot' }),
      400,
      'invalid_request',
    );
  });

  it('refuses a mode the tenant does not allow', async () => {
    const t = await createTenant({ allowedModes: ['text'] });
    await expectError(
      await postJson('/v1/realtime/session', t.publishableKey, { mode: 'webrtc' }),
      400,
      'mode_not_allowed',
    );
  });

  const failures: Array<[string, { status?: number; delayMs?: number; retryAfter?: number }, number, string]> = [
    ['401', { status: 401 }, 502, 'provider_auth_failed'],
    ['403', { status: 403 }, 502, 'provider_auth_failed'],
    ['429', { status: 429, retryAfter: 7 }, 503, 'provider_busy'],
    ['500', { status: 500 }, 502, 'provider_error'],
    ['503', { status: 503 }, 502, 'provider_error'],
    ['timeout', { delayMs: 2500 }, 504, 'provider_timeout'],
  ];
  for (const [name, scripted, status, code] of failures) {
    it(`maps an upstream ${name} to ${status} ${code} without passing its body through`, async () => {
      const t = await createTenant(BROWSER_KEYS);
      await fakeOpenAI.next(scripted);
      const res = await postJson('/v1/realtime/session', t.publishableKey, { mode: 'webrtc' });
      await expectNoSecret(res);
      const body = await expectError(res, status, code);
      expect(body.error.message).not.toContain('Scripted failure');
      if (name === '429') expect(res.headers.get('retry-after')).toBe('7');
    });
  }

  it('maps an unreachable provider to 502', async () => {
    const t = await createTenant(BROWSER_KEYS);
    const res = await postJson('/v1/realtime/session', t.publishableKey, { mode: 'webrtc' }, ORIGIN, {
      OPENAI_BASE_URL: 'http://127.0.0.1:9',
    });
    await expectError(res, 502, 'provider_unreachable');
  });

  it('answers with mode sandbox when no OpenAI key is configured', async () => {
    const t = await createTenant();
    const res = await postJson('/v1/realtime/session', t.publishableKey, { mode: 'webrtc' }, ORIGIN, {
      OPENAI_API_KEY: '',
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ mode: 'sandbox', requestedMode: 'webrtc' });
    expect((await fakeOpenAI.log()).requests).toHaveLength(0);
  });
});
