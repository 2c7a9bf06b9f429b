import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { forgetListedVoices } from '../../worker/providers/elevenlabs.ts';
import { ADMIN, call, createTenant, expectError, ORIGIN, tenantHeaders } from './helpers.ts';

interface FakeRequest {
  path: string;
  method?: string;
  voiceId?: string;
  stream?: boolean;
  keyOk: boolean;
  body: { text: string; model_id: string } | null;
}
type Script = {
  status?: number;
  delayMs?: number;
  contentType?: string;
  empty?: boolean;
  firstByteMs?: number;
  breakAfterBytes?: number;
  chunkBytes?: number;
  chunkDelayMs?: number;
};

/** Steers test/fakes/elevenlabs.js. */
export const fakeElevenLabs = {
  async next(...responses: Script[]) {
    await fetch(`${env.ELEVENLABS_BASE_URL}/__fake/next`, { method: 'POST', body: JSON.stringify({ responses }) });
  },
  async voices(voices: Array<{ voice_id: string; name: string; category: string }>) {
    await fetch(`${env.ELEVENLABS_BASE_URL}/__fake/voices`, { method: 'POST', body: JSON.stringify({ voices }) });
  },
  async reset() {
    await fetch(`${env.ELEVENLABS_BASE_URL}/__fake/reset`, { method: 'POST' });
  },
  async log(): Promise<FakeRequest[]> {
    return (await (await fetch(`${env.ELEVENLABS_BASE_URL}/__fake/log`)).json<{ requests: FakeRequest[] }>()).requests;
  },
};
const syntheses = async () => (await fakeElevenLabs.log()).filter((r) => r.path.startsWith('/v1/text-to-speech/'));

const SARAH = 'EXAVITQu4vr4xnSDxMaL'; // the first premade voice the fake lists
const GEORGE = 'JBFqnCBsd6RMkjVDRZzb';
const HOUSE = 'StudioInkVoice0000001'; // a cloned voice of the fake account
const RACHEL = '21m00Tcm4TlvDq8ikWAM'; // retired

const mp3Size = (text: string) => 10 + 417 * Math.ceil(text.length / 5);

const speak = (key: string, body: unknown, envOverride = {}, origin = ORIGIN) =>
  call(
    '/v1/tts',
    {
      method: 'POST',
      headers: tenantHeaders(key, origin, { 'Content-Type': 'application/json' }),
      body: JSON.stringify(body),
    },
    envOverride,
  );

async function usage(tenantId: string) {
  const res = await call(`/admin/usage?tenant=${tenantId}`, { headers: ADMIN });
  return (await res.json<{ usage: Array<{ ttsCharacters: { used: number; limit: number } }> }>()).usage[0]!
    .ttsCharacters;
}

const ttsTenant = (over: Record<string, unknown> = {}) =>
  createTenant({ limits: { requestsPerMinute: 100_000, ttsCharactersPerMonth: 10_000 }, ...over });

describe('POST /v1/tts', () => {
  beforeEach(async () => {
    await fakeElevenLabs.reset();
    forgetListedVoices();
  });

  it("streams ElevenLabs' audio/mpeg from the stream endpoint, with the key and model, and counts the characters", async () => {
    const t = await ttsTenant();
    const text = 'A fine-line wolf on the forearm sounds great.';
    const res = await speak(t.publishableKey, { text, uid: 'v_1' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('audio/mpeg');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const audio = new Uint8Array(await res.arrayBuffer());
    expect(audio.byteLength).toBe(mp3Size(text));
    expect([...audio.slice(0, 3)]).toEqual([0x49, 0x44, 0x33]); // ID3
    expect(new TextDecoder().decode(audio)).not.toContain(env.ELEVENLABS_API_KEY!);

    const [sent] = await syntheses();
    expect(sent).toMatchObject({
      path: `/v1/text-to-speech/${SARAH}/stream`,
      stream: true,
      keyOk: true,
      body: { text, model_id: 'eleven_multilingual_v2' },
    });
    expect(await usage(t.id)).toEqual({ used: text.length, limit: 10_000 });
  });

  it('speaks with the tenant voice, else ELEVENLABS_VOICE_ID, else a voice the account lists; a request may name one', async () => {
    const withVoice = await ttsTenant({ settings: { tts: { voiceId: HOUSE } } });
    const plain = await ttsTenant();
    expect((await speak(withVoice.publishableKey, { text: 'Tenant voice.' })).status).toBe(200);
    expect(
      (await speak(withVoice.publishableKey, { text: 'Tenant voice.' }, { ELEVENLABS_VOICE_ID: GEORGE })).status,
    ).toBe(200);
    expect((await speak(plain.publishableKey, { text: 'Server voice.' }, { ELEVENLABS_VOICE_ID: GEORGE })).status).toBe(
      200,
    );
    expect((await speak(plain.publishableKey, { text: 'Listed voice.' })).status).toBe(200);
    expect((await speak(plain.publishableKey, { text: 'Asked for.', voice: HOUSE })).status).toBe(200);
    expect((await syntheses()).map((r) => r.voiceId)).toEqual([HOUSE, HOUSE, GEORGE, SARAH, HOUSE]);
    // The list is read once per isolate, not per request.
    expect((await fakeElevenLabs.log()).filter((r) => r.path === '/v1/voices')).toHaveLength(1);

    // No premade voice on the account: the first one it lists.
    forgetListedVoices();
    await fakeElevenLabs.voices([{ voice_id: HOUSE, name: 'House', category: 'cloned' }]);
    expect((await speak(plain.publishableKey, { text: 'Only voice.' })).status).toBe(200);
    expect((await syntheses()).at(-1)!.voiceId).toBe(HOUSE);
    forgetListedVoices();
    await fakeElevenLabs.voices([]);
    const none = await expectError(
      await speak(plain.publishableKey, { text: 'No voice at all.' }),
      502,
      'tts_no_voice',
    );
    expect(none.error.message).toContain('lists no voice');
    expect(await usage(plain.id)).toMatchObject({
      used: 'Listed voice.'.length + 'Asked for.'.length + 'Server voice.'.length + 'Only voice.'.length,
    });
  });

  it('refuses a retired or unknown voice: 400 when the page asked for it, 502 when configured; characters given back', async () => {
    const t = await ttsTenant();
    await expectError(await speak(t.publishableKey, { text: 'Hello.', voice: RACHEL }), 400, 'voice_not_found');
    await expectError(
      await speak(t.publishableKey, { text: 'Hello.', voice: 'NoSuchVoice12345' }),
      400,
      'voice_not_found',
    );
    const configured = await ttsTenant({ settings: { tts: { voiceId: RACHEL } } });
    const err = await expectError(
      await speak(configured.publishableKey, { text: 'Hello.' }),
      502,
      'tts_voice_not_found',
    );
    expect(err.error.message).toContain('settings.tts.voiceId');
    await expectError(
      await speak(t.publishableKey, { text: 'Hello.' }, { ELEVENLABS_VOICE_ID: RACHEL }),
      502,
      'tts_voice_not_found',
    );
    expect(await usage(t.id)).toMatchObject({ used: 0 });
    expect(await usage(configured.id)).toMatchObject({ used: 0 });
  });

  it('is gated by the tts flag for the unit and by the server having a key; nothing is spent or asked', async () => {
    const t = await ttsTenant();
    const bulk = (enabled: boolean) =>
      call('/admin/flags/bulk', {
        method: 'POST',
        headers: { ...ADMIN, 'Content-Type': 'application/json' },
        body: JSON.stringify({ changes: [{ key: 'tts', enabled }], note: 'tts flag test' }),
      });
    expect((await bulk(false)).status).toBe(200);
    try {
      const off = await expectError(
        await speak(t.publishableKey, { text: 'Hello.', uid: 'v_1' }),
        403,
        'feature_disabled',
      );
      expect(off.error.details).toEqual({ flag: 'tts', reason: 'DISABLED' });
      const boot = await (
        await call(`/v1/bootstrap?uid=v_1`, { headers: tenantHeaders(t.publishableKey) })
      ).json<{ tts: { available: boolean } }>();
      expect(boot.tts).toEqual({ available: false });
    } finally {
      expect((await bulk(true)).status).toBe(200);
    }
    const boot = await (
      await call(`/v1/bootstrap?uid=v_1`, { headers: tenantHeaders(t.publishableKey) })
    ).json<{
      tts: { available: boolean };
    }>();
    expect(boot.tts).toEqual({ available: true });
    await expectError(
      await speak(t.publishableKey, { text: 'Hello.' }, { ELEVENLABS_API_KEY: '' }),
      409,
      'tts_unavailable',
    );
    const noKey = await (
      await call('/v1/bootstrap', { headers: tenantHeaders(t.publishableKey) }, { ELEVENLABS_API_KEY: '' })
    ).json<{ tts: unknown }>();
    expect(noKey.tts).toEqual({ available: false });
    expect(await fakeElevenLabs.log()).toHaveLength(0);
    expect(await usage(t.id)).toMatchObject({ used: 0 });
    // Like every tenant endpoint: key and Origin.
    await expectError(
      await call('/v1/tts', {
        method: 'POST',
        headers: { Origin: ORIGIN, 'Content-Type': 'application/json' },
        body: '{"text":"hi"}',
      }),
      401,
      'unknown_key',
    );
    await expectError(
      await speak(t.publishableKey, { text: 'Hello.' }, {}, 'https://evil.example.net'),
      403,
      'origin_not_allowed',
    );
  });

  it('validates the body', async () => {
    const t = await ttsTenant();
    for (const body of [
      {},
      { text: '   ' },
      { text: 'x'.repeat(2001) },
      { text: 'hi', voice: '../etc' },
      { text: 'hi', extra: 1 },
      { text: 42 },
    ]) {
      await expectError(await speak(t.publishableKey, body), 400, 'invalid_request');
    }
    await expectError(
      await call('/v1/tts', {
        method: 'POST',
        headers: tenantHeaders(t.publishableKey, ORIGIN, { 'Content-Type': 'text/plain' }),
        body: 'hello',
      }),
      415,
      'unsupported_media_type',
    );
    expect((await speak(t.publishableKey, { text: 'x'.repeat(2000) })).status).toBe(200);
  });

  it('takes characters atomically: exactly the monthly limit under concurrency, then 402 quota_exceeded', async () => {
    const t = await ttsTenant({ limits: { requestsPerMinute: 100_000, ttsCharactersPerMonth: 200 } });
    const text = 'Ten chars.';
    const results = await Promise.all(Array.from({ length: 40 }, () => speak(t.publishableKey, { text })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(20);
    const refused = results.filter((r) => r.status === 402);
    expect(refused).toHaveLength(20);
    for (const r of results.filter((x) => x.status === 200)) await r.arrayBuffer();
    const body = await refused[0]!.json<{ error: { code: string; message: string } }>();
    expect(body.error.code).toBe('quota_exceeded');
    expect(body.error.message).toContain('200 text-to-speech characters');
    expect(await usage(t.id)).toEqual({ used: 200, limit: 200 });
    expect(await syntheses()).toHaveLength(20);
    // A request that does not fit whole is refused whole.
    const small = await ttsTenant({ limits: { requestsPerMinute: 100_000, ttsCharactersPerMonth: 15 } });
    expect((await speak(small.publishableKey, { text })).status).toBe(200);
    await expectError(await speak(small.publishableKey, { text }), 402, 'quota_exceeded');
    expect(await usage(small.id)).toEqual({ used: 10, limit: 15 });
  });

  it("maps ElevenLabs' failures to our codes, never passes its body, and gives the characters back", async () => {
    const t = await ttsTenant();
    const cases: Array<[Script, number, string]> = [
      [{ status: 401 }, 502, 'provider_auth_failed'],
      [{ status: 429 }, 503, 'provider_busy'],
      [{ status: 500 }, 502, 'provider_error'],
      [{ status: 422 }, 502, 'provider_rejected'],
      [{ contentType: 'text/html' }, 502, 'provider_error'],
      [{ delayMs: 1200 }, 504, 'provider_timeout'],
    ];
    for (const [script, status, code] of cases) {
      await fakeElevenLabs.next(script);
      const res = await speak(
        t.publishableKey,
        { text: 'Hello there.' },
        { UPSTREAM_TIMEOUT_MS: '400', ELEVENLABS_VOICE_ID: SARAH },
      );
      const text = await res.clone().text();
      expect(text).not.toContain('Scripted failure');
      expect(text).not.toContain(env.ELEVENLABS_API_KEY!);
      await expectError(res, status, code);
    }
    await expectError(
      await speak(t.publishableKey, { text: 'Hello.' }, { ELEVENLABS_API_KEY: 'xi-wrong' }),
      502,
      'provider_auth_failed',
    );
    await expectError(
      await speak(
        t.publishableKey,
        { text: 'Hello.' },
        { ELEVENLABS_BASE_URL: 'http://127.0.0.1:9', ELEVENLABS_VOICE_ID: SARAH },
      ),
      502,
      'provider_unreachable',
    );
    expect(await usage(t.id)).toMatchObject({ used: 0 });
  });

  it('a stream that breaks or stalls after the audio began ends the answer with an error; the characters stay spent', async () => {
    const t = await ttsTenant();
    const text = 'A long sentence whose audio is cut off halfway through by a dropped connection.';
    await fakeElevenLabs.next({ breakAfterBytes: 2048 });
    const res = await speak(t.publishableKey, { text });
    expect(res.status).toBe(200);
    await expect(res.arrayBuffer()).rejects.toThrow();
    // ElevenLabs goes quiet after the first chunk for longer than the upstream timeout.
    await fakeElevenLabs.next({ chunkBytes: 1024, chunkDelayMs: 1500 });
    const stalled = await speak(t.publishableKey, { text }, { UPSTREAM_TIMEOUT_MS: '400' });
    expect(stalled.status).toBe(200);
    const started = Date.now();
    await expect(stalled.arrayBuffer()).rejects.toThrow(/stopped sending audio/);
    expect(Date.now() - started).toBeLessThan(1400);
    expect(await usage(t.id)).toMatchObject({ used: 2 * text.length });
  });
});
