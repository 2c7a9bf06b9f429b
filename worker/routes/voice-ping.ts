import { Hono } from 'hono';
import type { PingReport } from '../api-types.ts';
import type { AppEnv, Env } from '../env.ts';
import { ApiError } from '../errors.ts';
import { adminAuth } from '../middleware/admin-auth.ts';
import { resolveVoice, synthesize } from '../providers/elevenlabs.ts';
import { createClientSecret, isSandbox } from '../providers/openai.ts';
import { DEFAULT_MODEL } from '../realtime/models.ts';

const PING_PHRASE = 'Voice check: one, two, three.';

type Outcome<T> =
  | ({ status: 'ok'; provider: string } & T)
  | { status: 'sandbox'; provider: string; message: string }
  | { status: 'error'; provider: string; code: string; message: string };

/** A provider's failure belongs in the report, not in the ping's own status: the ping itself worked. */
async function probe<T>(provider: string, work: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { status: 'ok', provider, ...(await work()) };
  } catch (e) {
    if (e instanceof ApiError) return { status: 'error', provider, code: e.code, message: e.message };
    return { status: 'error', provider, code: 'provider_error', message: `${provider} check failed unexpectedly` };
  }
}

function ttsHealth(env: Env) {
  if (!env.ELEVENLABS_API_KEY) {
    return {
      status: 'sandbox',
      provider: 'elevenlabs',
      message: 'No ELEVENLABS_API_KEY: text-to-speech is not configured (sandbox)',
    } as const;
  }
  return probe('elevenlabs', async () => {
    // The voice a tenant without its own would get: ELEVENLABS_VOICE_ID, else one the account lists.
    const { voiceId, source } = await resolveVoice(env);
    const started = Date.now();
    const { audio, contentType } = await synthesize(env, PING_PHRASE, voiceId);
    return { synthTime: Date.now() - started, audioSize: audio.byteLength, contentType, voiceId, voiceSource: source };
  });
}

function openaiHealth(env: Env) {
  if (isSandbox(env)) {
    return {
      status: 'sandbox',
      provider: 'openai',
      message: 'No OPENAI_API_KEY: voice runs on the built-in sandbox responder',
    } as const;
  }
  return probe('openai', async () => {
    const started = Date.now();
    // The shortest-lived key the API allows; it is minted only to prove we can, and never leaves this function.
    await createClientSecret(env, { type: 'realtime', model: DEFAULT_MODEL }, 10);
    return { mintTime: Date.now() - started };
  });
}

/** GET /v1/voice/ping (admin token): can the providers speak right now? */
export const voicePing = new Hono<AppEnv>().get('/ping', adminAuth, async (c) => {
  const [tts, openai] = await Promise.all([ttsHealth(c.env), openaiHealth(c.env)]);
  const status = tts.status === 'error' || openai.status === 'error' ? 'degraded' : 'ok';
  c.header('Cache-Control', 'no-store');
  return c.json({ status, checkedAt: new Date().toISOString(), tts, openai } satisfies PingReport);
});
