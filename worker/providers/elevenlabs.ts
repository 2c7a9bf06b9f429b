import type { Env } from '../env.ts';
import { ApiError } from '../errors.ts';
import { callProvider, upstreamTimeout } from './upstream.ts';

export const elevenlabsBase = (env: Env) => (env.ELEVENLABS_BASE_URL || 'https://api.elevenlabs.io').replace(/\/+$/, '');

/** A premade ElevenLabs voice ("Rachel"), present on every account. */
export const DEFAULT_VOICE_ID = '21m00Tcm4TlvDq8ikWAM';
export const TTS_MODEL = 'eleven_multilingual_v2';

/** Synthesises `text` to MP3. The key goes only into the xi-api-key header of this request. */
export async function synthesize(env: Env, text: string, voiceId = DEFAULT_VOICE_ID): Promise<{ audio: ArrayBuffer; contentType: string }> {
  const res = await callProvider(
    'ElevenLabs',
    `${elevenlabsBase(env)}/v1/text-to-speech/${encodeURIComponent(voiceId)}`,
    {
      method: 'POST',
      headers: { 'xi-api-key': env.ELEVENLABS_API_KEY ?? '', 'Content-Type': 'application/json', Accept: 'audio/mpeg' },
      body: JSON.stringify({ text, model_id: TTS_MODEL }),
    },
    upstreamTimeout(env),
  );
  const contentType = res.headers.get('content-type') ?? '';
  let audio: ArrayBuffer;
  try {
    audio = await res.arrayBuffer();
  } catch {
    throw new ApiError(502, 'provider_error', 'ElevenLabs stopped sending audio midway');
  }
  if (!contentType.startsWith('audio/') || audio.byteLength === 0) {
    throw new ApiError(502, 'provider_error', 'ElevenLabs answered without audio');
  }
  return { audio, contentType };
}
