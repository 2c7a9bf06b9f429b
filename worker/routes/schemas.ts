// The tenant API's request schemas (/v1: the admin API's live in ./admin/schemas.ts). The routes validate with them
// (worker/validator.ts) and worker/api-types.ts infers the widget's request types from them, so a check and the type
// the widget compiles against cannot drift. Only valibot and plain constants here, no Worker runtime: the widget
// imports this module's types (`import type`, never a value), the widget's test fakes import its values.
import * as v from 'valibot';
import { KeywordsSchema } from '../keywords.ts';
import { VOICES } from '../realtime/models.ts';
import { MODES, VoiceIdSchema } from '../tenants/model.ts';

/** The widget's stickiness id: its `user-id`, or the random id it keeps in localStorage. */
export const UidSchema = v.pipe(v.string(), v.regex(/^[\w.:-]{1,128}$/, 'must be 1-128 letters, digits, or . _ : -'));

/** GET /v1/bootstrap?uid= */
export const BootstrapQuery = v.object({ uid: v.optional(UidSchema) });

/** POST /v1/realtime/session */
export const SessionBody = v.strictObject({
  mode: v.picklist(MODES, 'must be "webrtc", "websocket" or "text"'),
  model: v.optional(v.pipe(v.string(), v.maxLength(64))),
  voice: v.optional(v.picklist(VOICES, `must be one of ${VOICES.join(', ')}`)),
  uid: v.optional(UidSchema),
  /** The visitor's language, ISO-639-1 ("en", "de"): a hint for transcribing their speech. */
  language: v.optional(v.pipe(v.string(), v.regex(/^[a-z]{2}$/, 'must be an ISO-639-1 code such as "en"'))),
});

/** POST /v1/handoff */
export const HandoffBody = v.strictObject({
  keywords: KeywordsSchema,
  sessionId: v.optional(v.nullable(UidSchema), null),
  uid: v.optional(UidSchema),
});

/** POST /v1/avatar/session (the body may be empty). */
export const AvatarSessionBody = v.strictObject({
  /** An Akool avatar id; default: the site's, else Akool's stock avatar. */
  avatarId: v.optional(
    v.pipe(v.string(), v.regex(/^[\w.-]{1,120}$/, 'must be an Akool avatar id (letters, digits, . _ -)')),
  ),
  // The widget's starting video quality (it picks the Agora stream); Akool v4 has no quality setting at creation.
  quality: v.optional(v.picklist(['high', 'medium', 'low'], 'must be "high", "medium" or "low"')),
  uid: v.optional(UidSchema),
});

/** One request is a sentence or a few; a whole long reply still fits. */
export const MAX_TTS_CHARACTERS = 2000;

/** POST /v1/tts: the answer is audio/mpeg, streamed. */
export const TtsBody = v.strictObject({
  text: v.pipe(
    v.string(),
    v.trim(),
    v.minLength(1, 'must not be empty'),
    v.maxLength(MAX_TTS_CHARACTERS, `must be at most ${MAX_TTS_CHARACTERS} characters`),
  ),
  /** An ElevenLabs voice id; default: the site's voice. */
  voice: v.optional(VoiceIdSchema),
  uid: v.optional(UidSchema),
});

/**
 * `:id` of a generation or an avatar session. Ids are UUIDs; anything else cannot exist, so the routes answer it
 * like an id that does not (404), not as a bad request.
 */
export const IdParam = v.object({ id: v.pipe(v.string(), v.regex(/^[0-9a-f-]{36}$/)) });
