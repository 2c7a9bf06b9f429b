import type { RealtimeClientEvent } from 'openai/resources/realtime/realtime';
import type { SessionStore } from '../state/session-store.ts';
import { CONTEXT_NOTE_PREFIX, KEYWORDS_LINE } from './context-note.ts';

/** How much of the conversation a new session hears again: the last few turns, each cut short. */
const MAX_TURNS = 8;
const MAX_TURN_CHARS = 400;

/**
 * What a new session (reconnect, mode switch, fallback, a restart) is told first, so the assistant continues where
 * the conversation was: the recent turns and the design keywords, as one note. It is a user message because that is
 * what every path (relay, call) may add; it asks for no response, so nothing is said until the visitor speaks.
 */
export function seedEvents(store: SessionStore): RealtimeClientEvent[] {
  const turns = store.$transcript
    .get()
    .filter((e) => (e.kind === 'user' || e.kind === 'assistant') && !e.placeholder && !e.delivery && e.text.trim() && e.text !== '…')
    .slice(-MAX_TURNS);
  const keywords = store.$keywords.get();
  if (turns.length === 0 && !keywords) return [];
  const lines = turns.map((e) => {
    const text = e.text.trim().replace(/\s+/g, ' ');
    return `${e.kind === 'user' ? 'Visitor' : 'Assistant'}: ${text.length > MAX_TURN_CHARS ? `${text.slice(0, MAX_TURN_CHARS)}…` : text}`;
  });
  const text = [
    `${CONTEXT_NOTE_PREFIX} Continue the conversation where it left off; do not reply to this note or greet again.]`,
    ...(lines.length ? ['Earlier in this conversation:', ...lines] : []),
    ...(keywords ? [`${KEYWORDS_LINE}${JSON.stringify(keywords)}`] : []),
  ].join('\n');
  return [{ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text }] } }];
}
