// ElevenLabs text-to-speech, server side (../../../shared/PROTOCOLS.md). The key goes only into the `xi-api-key`
// header of our requests; the browser receives audio bytes and nothing else.
import type { Env } from '../env.ts';
import { ApiError } from '../errors.ts';
import { VOICE_ID_PATTERN, type Tenant } from '../tenants/model.ts';
import { providerError, providerFact, upstreamTimeout } from './upstream.ts';

const PROVIDER = 'ElevenLabs';
export const elevenlabsBase = (env: Env) =>
  (env.ELEVENLABS_BASE_URL || 'https://api.elevenlabs.io').replace(/\/+$/, '');

export const TTS_MODEL = 'eleven_multilingual_v2';
/** How long an isolate trusts the voice list it read (a voice the account loses makes the next request fail anyway). */
const VOICE_LIST_TTL_MS = 10 * 60_000;

export type VoiceSource = 'request' | 'tenant' | 'env' | 'listed';

/** ElevenLabs said the voice does not exist for this account (unknown, deleted, or a retired default). */
export class VoiceNotFoundError extends ApiError {
  constructor(readonly voiceId: string) {
    super(
      502,
      'tts_voice_not_found',
      `ElevenLabs has no voice "${voiceId}" on this account; set settings.tts.voiceId or ELEVENLABS_VOICE_ID to a voice it lists`,
    );
  }
}

const headers = (env: Env, json: boolean): Record<string, string> => ({
  'xi-api-key': env.ELEVENLABS_API_KEY ?? '',
  ...(json ? { 'Content-Type': 'application/json', Accept: 'audio/mpeg' } : {}),
});

/**
 * One call with a deadline for the answer's headers only: a stream's body may take longer than the deadline to
 * arrive, so the timer stops once ElevenLabs has started answering. Failures become our error codes; the
 * provider's body is never passed on (only a 404's `detail.status` is read, to tell a missing voice apart).
 */
async function call(env: Env, path: string, init: RequestInit, voiceId?: string): Promise<Response> {
  const timeoutMs = upstreamTimeout(env);
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(new DOMException('timeout', 'TimeoutError')), timeoutMs);
  let res: Response;
  const fact = providerFact(PROVIDER);
  try {
    res = await fetch(`${elevenlabsBase(env)}${path}`, { ...init, signal: abort.signal });
  } catch (e) {
    const name = (e as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      fact(false, 'provider_timeout');
      throw new ApiError(
        504,
        'provider_timeout',
        `${PROVIDER} did not answer within ${Math.round(timeoutMs / 100) / 10} s`,
      );
    }
    fact(false, 'provider_unreachable');
    throw new ApiError(502, 'provider_unreachable', `${PROVIDER} could not be reached`);
  } finally {
    clearTimeout(timer);
  }
  fact(res.ok, `http_${res.status}`);
  if (res.ok) return res;
  if (res.status === 404 && voiceId) {
    const body = (await res.json().catch(() => null)) as { detail?: { status?: unknown } } | null;
    if (body?.detail?.status === 'voice_not_found') throw new VoiceNotFoundError(voiceId);
  } else await res.body?.cancel().catch(() => {});
  throw providerError(PROVIDER, res);
}

function ttsRequest(env: Env, text: string): RequestInit {
  return { method: 'POST', headers: headers(env, true), body: JSON.stringify({ text, model_id: TTS_MODEL }) };
}

const listed = new Map<string, { voiceId: string; at: number }>();

/** Forgets the voice lists read so far (tests that change the fake account's voices). */
export function forgetListedVoices(): void {
  listed.clear();
}

/**
 * A voice the account has now (`GET /v1/voices`): the first premade one, else the first. Read at most every
 * 10 minutes per isolate. Defaults do get retired ("Rachel" was the default for years), so none is hard-coded.
 */
export async function listedVoice(env: Env, now = Date.now()): Promise<string> {
  const cacheKey = `${elevenlabsBase(env)}|${env.ELEVENLABS_API_KEY ?? ''}`;
  const hit = listed.get(cacheKey);
  if (hit && now - hit.at < VOICE_LIST_TTL_MS) return hit.voiceId;
  const res = await call(env, '/v1/voices', { method: 'GET', headers: headers(env, false) });
  let voices: Array<{ voice_id?: unknown; category?: unknown }>;
  try {
    voices = (await res.json<{ voices?: typeof voices }>()).voices ?? [];
  } catch {
    throw new ApiError(502, 'provider_error', `${PROVIDER} answered the voice list with something that is not JSON`);
  }
  const usable = voices.filter((v) => typeof v.voice_id === 'string' && VOICE_ID_PATTERN.test(v.voice_id));
  const pick = usable.find((v) => v.category === 'premade') ?? usable[0];
  if (!pick) throw new ApiError(502, 'tts_no_voice', `${PROVIDER} lists no voice for this account`);
  listed.set(cacheKey, { voiceId: pick.voice_id as string, at: now });
  return pick.voice_id as string;
}

/** The voice to speak with: the request's, else the tenant's, else the server's, else one the API lists. */
export async function resolveVoice(
  env: Env,
  tenant?: Tenant | null,
  requested?: string,
): Promise<{ voiceId: string; source: VoiceSource }> {
  if (requested) return { voiceId: requested, source: 'request' };
  const configured = tenant?.settings.tts?.voiceId;
  if (configured) return { voiceId: configured, source: 'tenant' };
  if (env.ELEVENLABS_VOICE_ID) return { voiceId: env.ELEVENLABS_VOICE_ID, source: 'env' };
  return { voiceId: await listedVoice(env), source: 'listed' };
}

const voicePath = (voiceId: string, stream: boolean) =>
  `/v1/text-to-speech/${encodeURIComponent(voiceId)}${stream ? '/stream' : ''}`;

function checkAudio(res: Response): string {
  const contentType = res.headers.get('content-type') ?? '';
  if (!contentType.startsWith('audio/')) {
    void res.body?.cancel().catch(() => {});
    throw new ApiError(502, 'provider_error', `${PROVIDER} answered without audio`);
  }
  return contentType;
}

/** Synthesises `text` to one MP3 (the health ping). */
export async function synthesize(
  env: Env,
  text: string,
  voiceId: string,
): Promise<{ audio: ArrayBuffer; contentType: string }> {
  const res = await call(env, voicePath(voiceId, false), ttsRequest(env, text), voiceId);
  const contentType = checkAudio(res);
  let audio: ArrayBuffer;
  try {
    audio = await res.arrayBuffer();
  } catch {
    throw new ApiError(502, 'provider_error', `${PROVIDER} stopped sending audio midway`);
  }
  if (audio.byteLength === 0) throw new ApiError(502, 'provider_error', `${PROVIDER} answered without audio`);
  return { audio, contentType };
}

/**
 * Starts a streamed synthesis (`/stream`): resolves once ElevenLabs answered with audio, with its body still
 * arriving. The returned stream errors when ElevenLabs goes quiet for the upstream timeout, so a stalled answer
 * cannot hold the visitor's request open.
 */
export async function synthesizeStream(
  env: Env,
  text: string,
  voiceId: string,
): Promise<{ body: ReadableStream<Uint8Array>; contentType: string }> {
  const res = await call(env, voicePath(voiceId, true), ttsRequest(env, text), voiceId);
  const contentType = checkAudio(res);
  if (!res.body) throw new ApiError(502, 'provider_error', `${PROVIDER} answered without audio`);
  const idleMs = upstreamTimeout(env);
  const reader = res.body.getReader();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const stalled = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${PROVIDER} stopped sending audio for ${idleMs} ms`)), idleMs);
      });
      try {
        const { done, value } = await Promise.race([reader.read(), stalled]);
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (e) {
        void reader.cancel().catch(() => {});
        controller.error(e);
      } finally {
        clearTimeout(timer);
      }
    },
    cancel(reason) {
      clearTimeout(timer);
      return reader.cancel(reason);
    },
  });
  return { body, contentType };
}
