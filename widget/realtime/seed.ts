import type { RealtimeClientEvent } from 'openai/resources/realtime/realtime';
import type { SessionStore } from '../state/session-store.ts';
import { briefItem } from '../keywords/brief.ts';
import { CONTEXT_NOTE_PREFIX } from './context-note.ts';

/** How much of the conversation a new session hears again: the last few turns, each cut short. */
const MAX_TURNS = 8;
const MAX_TURN_CHARS = 400;

/**
 * What a new session (reconnect, mode switch, fallback, a restart) is told first, so the assistant continues where
 * the conversation was: the recent turns as one user note (what every path, relay or call, may add), then the design
 * keywords as the brief item chip edits use (widget/keywords/brief.ts). Neither asks for a response, so nothing is
 * said until the visitor speaks.
 */
export function seedEvents(store: SessionStore): RealtimeClientEvent[] {
  const turns = store.$transcript
    .get()
    .filter(
      (e) =>
        (e.kind === 'user' || e.kind === 'assistant') &&
        !e.placeholder &&
        !e.delivery &&
        e.text.trim() &&
        e.text !== '…',
    )
    .slice(-MAX_TURNS);
  const keywords = store.$keywords.get();
  const events: RealtimeClientEvent[] = [];
  if (turns.length) {
    const lines = turns.map((e) => {
      const text = e.text.trim().replace(/\s+/g, ' ');
      return `${e.kind === 'user' ? 'Visitor' : 'Assistant'}: ${text.length > MAX_TURN_CHARS ? `${text.slice(0, MAX_TURN_CHARS)}…` : text}`;
    });
    const text = [
      `${CONTEXT_NOTE_PREFIX} Continue the conversation where it left off; do not reply to this note or greet again.]`,
      'Earlier in this conversation:',
      ...lines,
    ].join('\n');
    events.push({
      type: 'conversation.item.create',
      item: { type: 'message', role: 'user', content: [{ type: 'input_text', text }] },
    });
  }
  if (keywords) events.push({ type: 'conversation.item.create', item: briefItem(keywords) });
  return events;
}
