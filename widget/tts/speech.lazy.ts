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
  /** Speech failed for good: the main bundle tells the visitor (once, in their language); replies go on as text. */
  failed(code: string): void;
};

/** The codes the visitor is told about in their own words (the catalogue's `speech.<code>`); others are logged. */
const TOLD = new Set(['quota_exceeded', 'feature_disabled', 'rate_limited', 'tts_playback_failed']);

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
      if (!TOLD.has(code)) console.warn('voice-buddy: spoken replies failed', error);
      options.failed(code);
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
