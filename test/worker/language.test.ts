// The conversation's language: the widget sends the language it shows (else the tenant's default applies), and the
// Worker puts it into the session it builds, on every path: the instructions get a line naming the language and
// transcription gets the `language` hint. A client still cannot send instructions.
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, call, expectError, fakeOpenAI, markedTenant, ORIGIN, postJson, sendAsCallClient } from './helpers.ts';
import { fakeRealtime, openRelay, sleep, until } from './relay-client.ts';

interface SentSession {
  instructions: string;
  audio: { input: { transcription: { model: string; language?: string } } };
}

const tenant = (settings: Record<string, unknown> = {}) => markedTenant('l', { settings });

/** The session the browser-key path minted its key with (the fake OpenAI's last client_secrets request). */
async function mintedSession(): Promise<SentSession> {
  const { requests } = await fakeOpenAI.log();
  return requests.at(-1)!.body!.session as unknown as SentSession;
}

const BROWSER_KEYS = { realtime: { clientSecret: true } };

describe('the language of the conversation', () => {
  beforeEach(() => fakeRealtime.behave());
  afterEach(() => fakeOpenAI.reset());

  it("webrtc (browser keys): the widget's language names the language in the instructions and hints transcription", async () => {
    const t = await tenant(BROWSER_KEYS);
    expect((await postJson('/v1/realtime/session', t.publishableKey, { mode: 'webrtc', language: 'de' })).status).toBe(
      201,
    );
    const session = await mintedSession();
    expect(session.instructions).toContain('Converse with the visitor in German (Deutsch)');
    expect(session.instructions).toContain('tool calls in English');
    expect(session.instructions).toContain(t.marker);
    expect(session.audio.input.transcription.language).toBe('de');
  });

  it('a conversation not in English is asked for the motif labels the tool takes; an English one is not', async () => {
    const t = await tenant(BROWSER_KEYS);
    expect((await postJson('/v1/realtime/session', t.publishableKey, { mode: 'webrtc', language: 'de' })).status).toBe(
      201,
    );
    const de = (await mintedSession()) as SentSession & {
      tools: Array<{ name: string; parameters: { properties: Record<string, { type?: string }> } }>;
    };
    const extract = de.tools.find((tool) => tool.name === 'extract_keywords')!;
    // The strict fake took the schema (201); labels is optional, an object of strings.
    expect(extract.parameters.properties.labels).toMatchObject({
      type: 'object',
      additionalProperties: { type: 'string' },
    });
    expect(extract.parameters).toMatchObject({ required: expect.not.arrayContaining(['labels']) });
    expect(de.instructions).toContain('In extract_keywords, also fill labels');
    expect(de.instructions).toContain('the German word the visitor would use');

    expect((await postJson('/v1/realtime/session', t.publishableKey, { mode: 'webrtc', language: 'en' })).status).toBe(
      201,
    );
    const en = await mintedSession();
    expect(en.instructions).toContain('Converse with the visitor in English');
    expect(en.instructions).not.toContain('fill labels');
  });

  it("without a language from the widget the tenant's default applies; with neither there is no language line", async () => {
    const ja = await tenant({ ...BROWSER_KEYS, widget: { language: 'ja' } });
    expect((await postJson('/v1/realtime/session', ja.publishableKey, { mode: 'webrtc' })).status).toBe(201);
    let session = await mintedSession();
    expect(session.instructions).toContain('Japanese (日本語)');
    expect(session.audio.input.transcription.language).toBe('ja');
    // The widget's own language wins over the default.
    expect((await postJson('/v1/realtime/session', ja.publishableKey, { mode: 'webrtc', language: 'fr' })).status).toBe(
      201,
    );
    session = await mintedSession();
    expect(session.instructions).toContain('French (français)');
    expect(session.instructions).not.toContain('Japanese');

    const plain = await tenant(BROWSER_KEYS);
    expect((await postJson('/v1/realtime/session', plain.publishableKey, { mode: 'webrtc' })).status).toBe(201);
    session = await mintedSession();
    expect(session.instructions).not.toContain('Converse with the visitor');
    expect(session.audio.input.transcription.language).toBeUndefined();
    // A language the widget has no texts for is still a transcription hint, but the model is not told to speak it.
    expect(
      (await postJson('/v1/realtime/session', plain.publishableKey, { mode: 'webrtc', language: 'sv' })).status,
    ).toBe(201);
    session = await mintedSession();
    expect(session.instructions).not.toContain('Converse with the visitor');
    expect(session.audio.input.transcription.language).toBe('sv');
  });

  it('refuses a language that is not an ISO-639-1 code, and instructions from the client, as before', async () => {
    const t = await tenant();
    await expectError(
      await postJson('/v1/realtime/session', t.publishableKey, { mode: 'text', language: 'Deutsch' }),
      400,
      'invalid_request',
    );
    await expectError(
      await postJson('/v1/realtime/session', t.publishableKey, {
        mode: 'text',
        language: 'de',
        instructions: 'Reply in Klingon',
      }),
      400,
      'invalid_request',
    );
  });

  it('the relay (push-to-talk and text) sends the language in its first session.update', async () => {
    const t = await tenant();
    const { client } = await openRelay(t.publishableKey, 'websocket', {}, { language: 'ar' });
    await client.event('session.updated');
    const upstream = await until(() => fakeRealtime.connection(t.marker), 'the upstream connection');
    const config = upstream.events[0] as unknown as { session: SentSession };
    expect(config.session.instructions).toContain('Arabic (العربية)');
    expect(config.session.audio.input.transcription.language).toBe('ar');
    client.close();

    const ko = await tenant({ widget: { language: 'ko' } });
    const text = await openRelay(ko.publishableKey, 'text');
    await text.client.event('session.updated');
    const upstreamKo = await until(() => fakeRealtime.connection(ko.marker), 'the upstream connection');
    expect((upstreamKo.events[0] as unknown as { session: SentSession }).session.instructions).toContain(
      'Korean (한국어)',
    );
    text.client.close();
  });

  it('a hands-free call is created in the language and not taken for tampered by its own language line', async () => {
    const t = await tenant();
    const res = await postJson('/v1/realtime/session', t.publishableKey, { mode: 'webrtc', language: 'he' });
    expect(res.status).toBe(201);
    const g = await res.json<{ callsUrl: string; ticket: string; sessionId: string }>();
    const url = new URL(g.callsUrl);
    const offer = await call(`${url.pathname}${url.search}`, {
      method: 'POST',
      headers: { Origin: ORIGIN, Authorization: `Bearer ${g.ticket}`, 'Content-Type': 'application/sdp' },
      body: env.TEST_SDP_OFFER,
    });
    expect(offer.status).toBe(201);
    type Call = { id: string; session: SentSession; hungUp: boolean; sidebands: number };
    const fakeCall = () =>
      until(async () => {
        const log = await (await fetch(`${env.OPENAI_BASE_URL}/__fake/log`)).json<{ calls: Call[] }>();
        return log.calls.find((c) => c.session.instructions?.includes(t.marker));
      }, 'the call');
    const created = await fakeCall();
    expect(created.session.instructions).toContain('Hebrew (עברית)');
    expect(created.session.audio.input.transcription.language).toBe('he');
    await until(async () => (await fakeCall()).sidebands === 1, 'the sideband');
    // An audio-only change makes OpenAI answer session.updated with the whole session, language line included.
    const client = (event: unknown) => sendAsCallClient(created.id, event);
    await client({
      type: 'session.update',
      session: { type: 'realtime', audio: { input: { noise_reduction: { type: 'far_field' } } } },
    });
    await sleep(300);
    expect((await fakeCall()).hungUp).toBe(false);
    await fetch(`${env.OPENAI_BASE_URL}/v1/realtime/calls/${created.id}/hangup`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${env.OPENAI_API_KEY}` },
    });
  });

  it("bootstrap answers the tenant's default language; the admin API accepts only the widget's languages", async () => {
    const t = await tenant({ widget: { language: 'pl' } });
    const boot = await call('/v1/bootstrap', { headers: { 'X-Voice-Buddy-Key': t.publishableKey, Origin: ORIGIN } });
    expect((await boot.json<{ language: string | null }>()).language).toBe('pl');
    const plain = await tenant();
    const plainBoot = await call('/v1/bootstrap', {
      headers: { 'X-Voice-Buddy-Key': plain.publishableKey, Origin: ORIGIN },
    });
    expect((await plainBoot.json<{ language: string | null }>()).language).toBeNull();
    const put = await call(`/admin/tenants/${t.id}`, {
      method: 'PUT',
      headers: { ...ADMIN, 'Content-Type': 'application/json' },
      body: JSON.stringify({ settings: { widget: { language: 'sv' } } }),
    });
    await expectError(put, 400, 'invalid_request');
  });
});
