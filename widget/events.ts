// Every event <voice-buddy> dispatches, with its detail, declared once. Dispatch only through `emit()`.
import type { AvatarDetail } from './avatar/avatar.lazy.ts';
import type { Keywords } from './keywords/types.ts';
import type { Concept, Mode, Status, TranscriptEntry } from './state/session-store.ts';
import type { EndReason } from './tts/speech.lazy.ts';

export type { AvatarDetail };

export interface StatusChangeDetail {
  status: Status;
  previous: Status;
  /** Why, for `reconnecting`, `fallback` and `error`: an error code (and the attempt when reconnecting). */
  reason?: string;
  /** The mode in use after this change. */
  mode: Mode;
}
export interface TranscriptDetail {
  entry: TranscriptEntry;
  transcript: readonly TranscriptEntry[];
}
export interface ErrorDetail {
  code: string;
  message: string;
}
export interface KeywordsDetail {
  keywords: Keywords;
  /** Who changed them: the model's extract_keywords call, or the visitor editing chips. */
  source: 'model' | 'visitor';
}
export interface HandoffDetail {
  keywords: Keywords;
  sessionId: string | null;
  trigger: 'button' | 'voice';
}
export interface ConceptDetail {
  generationId: string;
  concept: Concept;
}
/** The visitor chose a concept in the viewer ("Use this design"). */
export interface SelectDetail {
  generationId: string;
  concept: Concept;
  /** The keywords the concept was drawn from. */
  keywords: Keywords;
}
/** The `voice-buddy-speech` event's detail. */
export type SpeechDetail =
  { type: 'started' } | { type: 'ended'; reason: EndReason } | { type: 'fallback'; reason: string };

/** Each event's detail, by name. */
export interface VoiceBuddyEventDetails {
  'voice-buddy-status-change': StatusChangeDetail;
  'voice-buddy-transcript': TranscriptDetail;
  'voice-buddy-error': ErrorDetail;
  'voice-buddy-keywords': KeywordsDetail;
  'voice-buddy-handoff': HandoffDetail;
  'voice-buddy-concept': ConceptDetail;
  'voice-buddy-select': SelectDetail;
  'voice-buddy-avatar': AvatarDetail;
  'voice-buddy-speech': SpeechDetail;
}
export type VoiceBuddyEventName = keyof VoiceBuddyEventDetails;
export type VoiceBuddyEvents = { [K in VoiceBuddyEventName]: CustomEvent<VoiceBuddyEventDetails[K]> };

/** The events a page may cancel with `preventDefault()`. */
const CANCELABLE: ReadonlySet<VoiceBuddyEventName> = new Set(['voice-buddy-handoff', 'voice-buddy-select']);

/**
 * Dispatches one of the widget's events from `target`: bubbles, composed (it leaves the shadow root), cancelable
 * only where declared above. Returns false when a listener cancelled it.
 */
export function emit<K extends VoiceBuddyEventName>(
  target: EventTarget,
  type: K,
  detail: VoiceBuddyEventDetails[K],
): boolean {
  return target.dispatchEvent(
    new CustomEvent(type, { detail, bubbles: true, composed: true, cancelable: CANCELABLE.has(type) }),
  );
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface HTMLElementEventMap extends VoiceBuddyEvents {}
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface GlobalEventHandlersEventMap extends VoiceBuddyEvents {}
}
