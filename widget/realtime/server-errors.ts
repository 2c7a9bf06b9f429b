import { announcesRelayClose } from '../contract/relay.ts';

// What a visitor reads when the model's side reports an `error` event. OpenAI's own message is written for
// developers (and may quote ids); it never reaches the transcript. The code stays in the voice-buddy-error detail.
// The texts are the catalogue's `err.<key>` (widget/i18n/en.ts).

/** Codes whose text is another code's; any code without a text of its own reads as `err.realtime`. */
const SAME_AS: Record<string, string> = {
  session_update_refused: 'not_allowed',
  response_override_refused: 'not_allowed',
};
const OWN = new Set([
  'input_audio_buffer_commit_empty',
  'rate_limit_exceeded',
  'session_expired',
  'server_error',
  'invalid_api_key',
  'insufficient_quota',
  'item_not_allowed',
  'event_not_allowed',
]);

/** The catalogue code (`err.<code>`) of a Realtime error code. */
export function realtimeMessageCode(code: string): string {
  return SAME_AS[code] ?? (OWN.has(code) ? code : 'realtime');
}

/**
 * Codes the relay sends just before it closes the socket: the close itself explains what happened (status, error box),
 * so the event is not repeated in the transcript.
 */
export const announcesClose = announcesRelayClose;
