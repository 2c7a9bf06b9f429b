// The analytics events: what the widget may send to POST /v1/events and what the server records itself. One flat
// shape for both, so the queue consumer aggregates them the same way. Nothing here can carry conversation content:
// every string is a short token from a fixed alphabet, every other field a number or a boolean.
import * as v from 'valibot';

/** Events the widget sends (README "Analytics"). */
export const WIDGET_EVENTS = [
  'connect_attempt',
  'connect_result',
  'fallback',
  'reconnect',
  'error',
  'session_end',
  'mic_permission',
  'avatar_start',
  'avatar_fallback',
  'avatar_quality',
  'generation_requested',
  'generation_first_concept',
  'generation_done',
  'generation_failed',
  'avatar_sync',
  'page_ready',
] as const;

/** Facts the Worker records itself (worker/analytics/record.ts); never accepted from a browser. */
export const SERVER_EVENTS = [
  'session_granted',
  'session_refused',
  'relay_end',
  'call_end',
  'provider_call',
  'generation_requested',
  'generation_done',
  'generation_failed',
  'generation_first_concept',
  'avatar_session',
  'avatar_end',
  'tts',
  'tokens',
] as const;

export type WidgetEventName = (typeof WIDGET_EVENTS)[number];
export type ServerEventName = (typeof SERVER_EVENTS)[number];

/** A short token: an error code, a reason, a mode, a provider. Low cardinality by construction, no free text. */
const token = v.pipe(
  v.string(),
  v.regex(/^[a-z0-9][a-z0-9_.-]{0,47}$/i, 'must be a short code (letters, digits, _ . -)'),
);
const ms = v.pipe(v.number(), v.minValue(0), v.maxValue(86_400_000));
const amount = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1_000_000_000));

/** The fields an event may have; which ones a given event uses is listed in the README. */
const fields = {
  mode: v.optional(v.picklist(['webrtc', 'websocket', 'text'])),
  to: v.optional(v.picklist(['webrtc', 'websocket', 'text'])),
  ok: v.optional(v.boolean()),
  ms: v.optional(ms),
  code: v.optional(token),
  reason: v.optional(token),
  outcome: v.optional(token),
  quality: v.optional(token),
  turns: v.optional(amount),
};

export const WidgetEventSchema = v.strictObject({ name: v.picklist(WIDGET_EVENTS), ...fields });
export type WidgetEvent = v.InferOutput<typeof WidgetEventSchema>;

export const MAX_EVENTS_PER_REQUEST = 200;

/** POST /v1/events. `session` groups one widget session's events (per-session caps); `visitor` is a hash. */
export const EventBatchSchema = v.strictObject({
  session: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8-64 letters, digits, _ or -')),
  visitor: v.optional(v.pipe(v.string(), v.regex(/^[0-9a-f]{32,64}$/, 'must be a hex hash'))),
  events: v.pipe(
    v.array(WidgetEventSchema),
    v.minLength(1, 'must hold at least one event'),
    v.maxLength(MAX_EVENTS_PER_REQUEST, `must hold at most ${MAX_EVENTS_PER_REQUEST} events`),
  ),
});

/** A server fact: the widget's fields plus the numbers only the server knows. */
export interface ServerEvent {
  name: ServerEventName;
  mode?: 'webrtc' | 'websocket' | 'text';
  ok?: boolean;
  ms?: number;
  code?: string;
  reason?: string;
  provider?: string;
  bytes?: number;
  refused?: number;
  characters?: number;
  images?: number;
  seconds?: number;
  /** USD per minute of an avatar session, copied from the tenant's settings when it was created. */
  ratePerMinuteUsd?: number;
  inputTextTokens?: number;
  inputAudioTokens?: number;
  cachedTokens?: number;
  outputTextTokens?: number;
  outputAudioTokens?: number;
}

/** One queue message: events of one tenant, stamped with the time the Worker received them. */
export interface QueueMessage {
  tenant: string;
  /** Epoch ms (server clock): a browser's clock never decides the day or hour. */
  at: number;
  source: 'widget' | 'server';
  events: (WidgetEvent | ServerEvent)[];
}
