import { beforeEach, describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { forgetListedVoices } from '../../worker/providers/elevenlabs.ts';
import { ADMIN, call, createTenant, expectError, fakeOpenAI, tenantHeaders } from './helpers.ts';

/** Steers the fake ElevenLabs server (test/fakes/elevenlabs.js). */
const fakeElevenLabs = {
  async next(...responses: Array<{ status?: number; delayMs?: number; contentType?: string; empty?: boolean }>) {
    await fetch(`${env.ELEVENLABS_BASE_URL}/__fake/next`, { method: 'POST', body: JSON.stringify({ responses }) });
  },
  async reset() {
    await fetch(`${env.ELEVENLABS_BASE_URL}/__fake/reset`, { method: 'POST' });
  },
  async log() {
    return (
      await (
        await fetch(`${env.ELEVENLABS_BASE_URL}/__fake/log`)
      ).json<{
        requests: Array<{
          path: string;
          voiceId: string;
          keyOk: boolean;
          accept: string | null;
          body: { text: string; model_id: string } | null;
        }>;
      }>()
    ).requests.filter((r) => r.path.startsWith('/v1/text-to-speech/'));
  },
};

type Health = { status: 'ok' | 'sandbox' | 'error'; provider: string; code?: string; message?: string };
type Ping = {
  status: 'ok' | 'degraded';
  checkedAt: string;
  tts: Health & {
    synthTime?: number;
    audioSize?: number;
    contentType?: string;
    voiceId?: string;
    voiceSource?: string;
  };
  openai: Health & { mintTime?: number };
};

const ping = (envOverride = {}) => call('/v1/voice/ping', { headers: ADMIN }, envOverride);

async function pingBody(envOverride = {}): Promise<Ping> {
  const res = await ping(envOverride);
  const text = await res.text();
  expect(res.status, text).toBe(200);
  // Neither server key nor a minted key may appear in the report.
  for (const secret of [env.ELEVENLABS_API_KEY!, env.OPENAI_API_KEY!, 'ek_']) expect(text).not.toContain(secret);
  return JSON.parse(text) as Ping;
}

describe('GET /v1/voice/ping', () => {
  beforeEach(async () => {
    await fakeElevenLabs.reset();
    await fakeOpenAI.reset();
    forgetListedVoices();
  });

  it('needs the admin token; a tenant key is not enough', async () => {
    await expectError(await call('/v1/voice/ping'), 401, 'unauthorized');
    await expectError(
      await call('/v1/voice/ping', { headers: { Authorization: 'Bearer wrong' } }),
      401,
      'unauthorized',
    );
    const t = await createTenant();
    await expectError(await call('/v1/voice/ping', { headers: tenantHeaders(t.publishableKey) }), 401, 'unauthorized');
    expect(await fakeElevenLabs.log()).toHaveLength(0);
  });

  it('synthesises a phrase through ElevenLabs and mints an OpenAI key', async () => {
    const body = await pingBody();
    expect(body.status).toBe('ok');
    expect(Date.parse(body.checkedAt)).not.toBeNaN();
    expect(body.tts).toMatchObject({ status: 'ok', provider: 'elevenlabs', contentType: 'audio/mpeg' });
    expect(body.tts.synthTime).toBeGreaterThanOrEqual(0);
    const [sent] = await fakeElevenLabs.log();
    expect(sent).toBeDefined();
    expect(sent!.keyOk).toBe(true);
    // No voice configured: one the account lists now, never the retired default "Rachel".
    expect(sent!.path).toBe('/v1/text-to-speech/EXAVITQu4vr4xnSDxMaL');
    expect(body.tts).toMatchObject({ voiceId: 'EXAVITQu4vr4xnSDxMaL', voiceSource: 'listed' });
    expect(sent!.body!.model_id).toBe('eleven_multilingual_v2');
    expect(sent!.body!.text.length).toBeGreaterThan(5);
    // The fake answers an ID3 header and one 417-byte frame per 5 characters: the size reported is the size received.
    expect(body.tts.audioSize).toBe(10 + 417 * Math.ceil(sent!.body!.text.length / 5));

    expect(body.openai).toMatchObject({ status: 'ok', provider: 'openai' });
    expect(body.openai.mintTime).toBeGreaterThanOrEqual(0);
    const { requests } = await fakeOpenAI.log();
    expect(requests).toHaveLength(1);
    expect(requests[0]!.keyOk).toBe(true);
    expect(requests[0]!.body!.expires_after).toEqual({ anchor: 'created_at', seconds: 10 });
  });

  it('uses ELEVENLABS_VOICE_ID when set, and reports a retired one as the error it is', async () => {
    const george = await pingBody({ ELEVENLABS_VOICE_ID: 'JBFqnCBsd6RMkjVDRZzb' });
    expect(george.tts).toMatchObject({ status: 'ok', voiceId: 'JBFqnCBsd6RMkjVDRZzb', voiceSource: 'env' });
    const rachel = await pingBody({ ELEVENLABS_VOICE_ID: '21m00Tcm4TlvDq8ikWAM' });
    expect(rachel.status).toBe('degraded');
    expect(rachel.tts).toMatchObject({ status: 'error', code: 'tts_voice_not_found' });
    expect(rachel.tts.message).toContain('ELEVENLABS_VOICE_ID');
  });

  it('says sandbox for each provider without a key, and calls neither', async () => {
    const body = await pingBody({ ELEVENLABS_API_KEY: '', OPENAI_API_KEY: '' });
    expect(body.status).toBe('ok');
    expect(body.tts).toMatchObject({ status: 'sandbox', provider: 'elevenlabs' });
    expect(body.tts.message).toContain('ELEVENLABS_API_KEY');
    expect(body.openai).toMatchObject({ status: 'sandbox', provider: 'openai' });
    expect(await fakeElevenLabs.log()).toHaveLength(0);
    expect((await fakeOpenAI.log()).requests).toHaveLength(0);

    const onlyTts = await pingBody({ OPENAI_API_KEY: '' });
    expect(onlyTts.tts.status).toBe('ok');
    expect(onlyTts.openai.status).toBe('sandbox');
  });

  it('reports provider failures in the body with their mapped codes, never as its own 5xx', async () => {
    const cases: Array<[Parameters<typeof fakeElevenLabs.next>[0], string]> = [
      [{ status: 401 }, 'provider_auth_failed'],
      [{ status: 500 }, 'provider_error'],
      [{ status: 429 }, 'provider_busy'],
      [{ status: 422 }, 'provider_rejected'],
      [{ contentType: 'text/html' }, 'provider_error'],
      [{ empty: true }, 'provider_error'],
      [{ delayMs: 1200 }, 'provider_timeout'],
    ];
    for (const [script, code] of cases) {
      await fakeElevenLabs.next(script);
      const body = await pingBody({ UPSTREAM_TIMEOUT_MS: '400' });
      expect(body.status, JSON.stringify(script)).toBe('degraded');
      expect(body.tts, JSON.stringify(script)).toMatchObject({ status: 'error', provider: 'elevenlabs', code });
      expect(body.openai.status).toBe('ok');
    }

    const wrongKey = await pingBody({ ELEVENLABS_API_KEY: 'xi-not-the-key' });
    expect(wrongKey.tts).toMatchObject({ status: 'error', code: 'provider_auth_failed' });
    const unreachable = await pingBody({ ELEVENLABS_BASE_URL: 'http://127.0.0.1:9' });
    expect(unreachable.tts).toMatchObject({ status: 'error', code: 'provider_unreachable' });

    await fakeOpenAI.next({ status: 401 });
    const openaiDown = await pingBody();
    expect(openaiDown.status).toBe('degraded');
    expect(openaiDown.openai).toMatchObject({ status: 'error', provider: 'openai', code: 'provider_auth_failed' });
    expect(openaiDown.tts.status).toBe('ok');
  });
});
