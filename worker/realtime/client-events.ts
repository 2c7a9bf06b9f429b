import type { RealtimeClientEvent, RealtimeErrorEvent } from 'openai/resources/realtime/realtime';
import * as v from 'valibot';
import { briefItem, briefJson } from '../../widget/keywords/brief.ts';
import { KeywordsSchema, tidyKeywords } from '../keywords.ts';

// The relay owns the model's instructions and tools (see session-config.ts). A browser may steer the conversation
// and the audio, never what the model is told to be: so client events pass through an allowlist, and the two events
// that can carry settings (session.update, response.create) are checked field by field against allowlists too, so a
// field OpenAI adds later is refused until someone decides it is harmless.

const PASS_THROUGH = new Set([
  'input_audio_buffer.append',
  'input_audio_buffer.commit',
  'input_audio_buffer.clear',
  'response.cancel',
  'conversation.item.truncate',
  // Read-only: the official SDK asks for each item after its transcription and after a truncation.
  'conversation.item.retrieve',
]);

/**
 * session.update may touch these; anything else (model, instructions, tools, tool_choice, prompt, tracing, and any
 * key OpenAI adds later) is dropped from the event and the rest goes on. OpenAI's own client always sends model and
 * tool_choice, so refusing the whole event would throw away its audio and turn-detection settings.
 */
const SESSION_KEYS = new Set(['type', 'audio', 'output_modalities', 'max_output_tokens', 'truncation', 'include']);
/** response.create may carry these; instructions, tools, tool_choice, prompt and input would override the tenant's. */
const RESPONSE_KEYS = new Set(['output_modalities', 'max_output_tokens', 'metadata', 'audio', 'conversation']);

export interface Refusal {
  code: string;
  message: string;
  param: string | null;
}

export type Verdict =
  /** `rewritten`: the event to send instead of the client's text (the relay rebuilt it, or dropped `stripped` keys). */
  | { kind: 'forward'; event: RealtimeClientEvent; rewritten?: string; stripped?: string[] }
  /** Not a Realtime event at all: the client is broken, the session ends (close code 4005). */
  | { kind: 'malformed'; reason: string }
  /** A well-formed event the relay will not pass on: an error event goes back, the session goes on. */
  | { kind: 'refused'; refusal: Refusal; eventId: string | null };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function firstKeyOutside(obj: Record<string, unknown>, allowed: Set<string>): string | undefined {
  return Object.keys(obj).find((k) => !allowed.has(k));
}

export function checkClientEvent(text: string): Verdict {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { kind: 'malformed', reason: 'event is not JSON' };
  }
  if (!isObject(parsed) || typeof parsed.type !== 'string') return { kind: 'malformed', reason: 'event has no type' };
  const eventId = typeof parsed.event_id === 'string' ? parsed.event_id : null;
  const refuse = (code: string, message: string, param: string | null = null): Verdict => ({
    kind: 'refused',
    refusal: { code, message, param },
    eventId,
  });
  const event = parsed as unknown as RealtimeClientEvent;
  const forward: Verdict = { kind: 'forward', event };

  if (PASS_THROUGH.has(parsed.type)) return forward;
  switch (parsed.type) {
    case 'conversation.item.create': {
      const item = parsed.item;
      if (!isObject(item)) return refuse('item_not_allowed', 'conversation.item.create needs an item', 'item');
      if (item.type === 'message' && item.role === 'user') return forward;
      if (item.type === 'function_call_output') return forward;
      if (item.type === 'message' && item.role === 'system') return designBrief(parsed, item, refuse);
      return refuse(
        'item_not_allowed',
        'Only user messages, function_call_output items and design briefs may be added to the conversation',
        'item.type',
      );
    }
    case 'response.create': {
      const response = parsed.response;
      if (response === undefined) return forward;
      if (!isObject(response)) return refuse('response_override_refused', 'response must be an object', 'response');
      const key = firstKeyOutside(response, RESPONSE_KEYS);
      if (key)
        return refuse(
          'response_override_refused',
          `response.${key} is set by the site and cannot be overridden`,
          `response.${key}`,
        );
      return forward;
    }
    case 'session.update': {
      const session = parsed.session;
      if (!isObject(session))
        return refuse('session_update_refused', 'session.update needs a session object', 'session');
      const stripped = Object.keys(session).filter((k) => !SESSION_KEYS.has(k));
      if (stripped.length === 0) return forward;
      const kept = Object.fromEntries(Object.entries(session).filter(([k]) => SESSION_KEYS.has(k)));
      const clean = { ...parsed, session: kept } as unknown as RealtimeClientEvent;
      return { kind: 'forward', event: clean, rewritten: JSON.stringify(clean), stripped };
    }
    default:
      return refuse(
        'event_not_allowed',
        `Client event '${parsed.type.slice(0, 64)}' is not allowed through this relay`,
        'type',
      );
  }
}

/**
 * The one system item a client may add: the visitor's design brief (widget/keywords/brief.ts). It is rebuilt from
 * its validated JSON, so no instruction can ride along in its text; anything else in a system item is refused.
 */
function designBrief(
  event: Record<string, unknown>,
  item: Record<string, unknown>,
  refuse: (code: string, message: string, param?: string | null) => Verdict,
): Verdict {
  const content = Array.isArray(item.content) && item.content.length === 1 ? (item.content[0] as unknown) : null;
  const text =
    isObject(content) && content.type === 'input_text' && typeof content.text === 'string' ? content.text : '';
  const brief = v.safeParse(KeywordsSchema, briefJson(text));
  if (!brief.success)
    return refuse(
      'item_not_allowed',
      'A system item may only carry a design brief with valid keywords',
      'item.content',
    );
  const id = typeof item.id === 'string' && /^[\w-]{1,32}$/.test(item.id) ? { id: item.id } : {};
  const rebuilt: RealtimeClientEvent = {
    type: 'conversation.item.create',
    item: { ...id, ...briefItem(tidyKeywords(brief.output)) },
  };
  if (typeof event.event_id === 'string') rebuilt.event_id = event.event_id;
  if (typeof event.previous_item_id === 'string') rebuilt.previous_item_id = event.previous_item_id;
  return { kind: 'forward', event: rebuilt, rewritten: JSON.stringify(rebuilt) };
}

/** An `error` server event in the GA shape, for the relay's own refusals and failures. */
export function errorEvent(
  refusal: Refusal,
  eventId: string | null = null,
  type: 'invalid_request_error' | 'server_error' = 'invalid_request_error',
): RealtimeErrorEvent {
  return {
    type: 'error',
    event_id: `event_relay_${crypto.randomUUID().replace(/-/g, '').slice(0, 20)}`,
    error: { type, code: refusal.code, message: refusal.message, param: refusal.param, event_id: eventId },
  };
}
