// The visitor's own edits of the design keywords reach the model as data, not prose: one system item that holds the
// whole brief as JSON. The relay lets exactly this item through (rebuilt from the validated JSON, so no other text
// can ride along), and the sandbox responder reads it as the model would.
import type { RealtimeConversationItemSystemMessage } from 'openai/resources/realtime/realtime';
import type { Keywords } from './types.ts';

/** Opens every design-brief item. */
export const BRIEF_MARKER = '[voice-buddy design brief]';

const MEANING =
  'The visitor edited the design keywords themselves. The JSON below is now the whole brief and replaces what was said ' +
  'before: do not bring back anything it leaves out, and keep everything in "exclude" out of the design until the visitor ' +
  'asks for it again. Do not reply to this note.';

export function briefText(keywords: Keywords): string {
  return `${BRIEF_MARKER} ${MEANING}\n${JSON.stringify(keywords)}`;
}

/** The conversation item that carries the brief (`conversation.item.create`). */
export function briefItem(keywords: Keywords): RealtimeConversationItemSystemMessage {
  return { type: 'message', role: 'system', content: [{ type: 'input_text', text: briefText(keywords) }] };
}

/** The JSON of a brief item's text, not yet validated; undefined when the text is not a brief. */
export function briefJson(text: string): unknown {
  if (!text.startsWith(BRIEF_MARKER)) return undefined;
  try {
    return JSON.parse(text.slice(text.lastIndexOf('\n') + 1));
  } catch {
    return undefined;
  }
}
