import { record } from '../analytics/record.ts';
import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';
import { ApiError } from '../errors.ts';
import { requireFlag } from '../flags/enforce.ts';
import { consumeQuota } from '../limits/quota.ts';
import { resolveVoice, synthesizeStream, VoiceNotFoundError } from '../providers/elevenlabs.ts';
import { json } from '../validator.ts';
import { TtsBody } from './schemas.ts';

/** What ElevenLabs bills: characters, counted as code points (an emoji is one, not two). */
export const ttsCharacters = (text: string) => [...text].length;

/**
 * POST /v1/tts { text, voice?, uid? }: speech for a reply of the conversation, streamed as ElevenLabs makes it
 * (audio/mpeg). The characters count against the tenant's monthly `ttsCharactersPerMonth` before anything is asked
 * of ElevenLabs, and go back if it does not answer with audio.
 */
export const tts = new Hono<AppEnv>().post('/', json(TtsBody), async (c) => {
  const tenant = c.get('tenant');
  const body = c.req.valid('json');
  await requireFlag(c, 'tts', body.uid);
  if (!c.env.ELEVENLABS_API_KEY) {
    throw new ApiError(
      409,
      'tts_unavailable',
      'Spoken replies are not set up on this server; the conversation works as text',
    );
  }
  const characters = ttsCharacters(body.text);
  const lease = await consumeQuota(c.env, tenant, 'tts_character', characters);
  let audio: Awaited<ReturnType<typeof synthesizeStream>>;
  try {
    const { voiceId, source } = await resolveVoice(c.env, tenant, body.voice);
    const started = Date.now();
    try {
      audio = await synthesizeStream(c.env, body.text, voiceId);
      // Until ElevenLabs starts streaming: the wait a visitor hears before the reply is spoken.
      record({ name: 'tts', ok: true, characters, ms: Date.now() - started });
    } catch (e) {
      record({ name: 'tts', ok: false, code: e instanceof ApiError ? e.code : 'tts_failed' });
      // A voice the page asked for is the caller's mistake; a configured one is the site owner's (502 as it is).
      if (e instanceof VoiceNotFoundError && source === 'request')
        throw new ApiError(400, 'voice_not_found', `There is no voice "${voiceId}"`);
      if (e instanceof VoiceNotFoundError) console.warn('tts voice not found', { tenant: tenant.id, source, voiceId });
      throw e;
    }
  } catch (e) {
    await lease.release();
    throw e;
  }
  return c.body(audio.body, 200, {
    'Content-Type': audio.contentType,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'X-Voice-Buddy-Characters': String(characters),
  });
});
