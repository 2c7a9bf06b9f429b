import { announcesRelayClose } from '../contract/relay.ts';

// What a visitor reads when the model's side reports an `error` event. OpenAI's own message is written for
// developers (and may quote ids); it never reaches the transcript. The code stays in the voice-buddy-error detail.

const MESSAGES: Record<string, string> = {
  input_audio_buffer_commit_empty: "I didn't catch any sound there. Hold the button a little longer while you speak.",
  rate_limit_exceeded: 'The assistant is very busy right now. Please wait a moment and try again.',
  session_expired: 'This conversation has reached its time limit. Start a new one to go on.',
  server_error: 'The assistant had a hiccup. Please say that again.',
  invalid_api_key: 'The assistant is not configured correctly. Please let the site owner know.',
  insufficient_quota: 'The assistant is not available right now. Please let the site owner know.',
  // The relay's own refusals: the widget never sends these, so seeing one means a site's script did.
  session_update_refused: 'That change to the conversation is not allowed on this site.',
  response_override_refused: 'That change to the conversation is not allowed on this site.',
  item_not_allowed: 'That message could not be added to the conversation.',
  event_not_allowed: 'That action is not available in this conversation.',
};

const FALLBACK = 'The assistant could not handle that last step. Please try again.';

export function realtimeErrorMessage(code: string): string {
  return MESSAGES[code] ?? FALLBACK;
}

/**
 * Codes the relay sends just before it closes the socket: the close itself explains what happened (status, error box),
 * so the event is not repeated in the transcript.
 */
export const announcesClose = announcesRelayClose;
