// Spoken replies, loaded when a text conversation with speech starts. Self-contained like the avatar's chunk: it
// shares no code with the main bundle (the IIFE build loads it by URL), so it takes plain callbacks.
import { DecodedOutput, MseOutput, probeMse, type OutputEvents, type SpeechOutput } from './output.ts';
import { Speaker, type SpeakerOptions } from './speaker.ts';

export type { EndReason, SpeechApi } from './speaker.ts';

export interface SpeechHandle {
  onAssistantDelta: Speaker['onAssistantDelta'];
  onReplyDone: Speaker['onReplyDone'];
  stop: Speaker['stop'];
  resume(): void;
  readonly speaking: boolean;
}

export type StartSpeechOptions = Omit<SpeakerOptions, 'createOutput' | 'failed'> & {
  /** Tests pass their own; by default MSE where the page allows it, else Web Audio. */
  createOutput?: (events: OutputEvents) => SpeechOutput;
  /** Speech failed for good: `message` is the one notice the visitor reads; replies go on as text. */
  failed(code: string, message: string): void;
};

const FALLBACK = 'Spoken replies are not available right now; replies continue as text.';
/** What a visitor reads, per code (the Worker's own messages are written for site owners). */
const MESSAGES: Record<string, string> = {
  quota_exceeded: 'Spoken replies have reached this site’s limit for the month; replies continue as text.',
  feature_disabled: 'Spoken replies are switched off on this site right now; replies continue as text.',
  rate_limited: 'Too many spoken replies in a short time; replies continue as text.',
  tts_playback_failed: 'This browser could not play the spoken reply; replies continue as text.',
};

let mse: Promise<boolean> | null = null;
let context: AudioContext | null = null;

/** Decides once per page how to play (MSE needs a blob: URL some pages' CSP refuses), then starts a speaker. */
export async function startSpeech(options: StartSpeechOptions): Promise<SpeechHandle> {
  let createOutput = options.createOutput;
  if (!createOutput) {
    mse ??= probeMse();
    createOutput = (await mse)
      ? (events) => new MseOutput(events)
      : (events) => new DecodedOutput((context ??= new AudioContext()), events);
  }
  const speaker = new Speaker({
    ...options,
    createOutput,
    failed: (code, error) => {
      if (!MESSAGES[code]) console.warn('voice-buddy: spoken replies failed', error);
      options.failed(code, MESSAGES[code] ?? FALLBACK);
    },
  });
  return {
    onAssistantDelta: (d) => speaker.onAssistantDelta(d),
    onReplyDone: (id) => speaker.onReplyDone(id),
    stop: (reason) => speaker.stop(reason),
    resume: () => {
      if (context?.state === 'suspended') void context.resume().catch(() => {});
      speaker.resume();
    },
    get speaking() {
      return speaker.speaking;
    },
  };
}
