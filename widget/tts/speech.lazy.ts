// Spoken replies, loaded when a text conversation with speech starts. Self-contained like the avatar's chunk: it
// shares no code with the main bundle (the IIFE build loads it by URL), so it takes plain callbacks.
import { DecodedOutput, MseOutput, probeMse, type OutputEvents, type SpeechOutput } from './output.ts';
import { Speaker, type SpeakerOptions } from './speaker.ts';
import { SPEECH_TEXT, type SpeechKey } from './texts.ts';

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
  /**
   * Speech failed for good; replies go on as text. `english` and `shown` (in the widget's language) say why, for
   * the codes a visitor can act on; without them the main bundle says that spoken replies are not available.
   */
  failed(code: string, english?: string, shown?: string): void;
  text?: SpeechText;
};

/** `Locale.t` with the English: the text in the widget's language, `english` when it has none. */
export type SpeechText = (key: SpeechKey, english: string) => string;

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
      const key = `speech.${code}`;
      if (!(key in SPEECH_TEXT)) {
        console.warn('voice-buddy: spoken replies failed', error);
        return options.failed(code);
      }
      const english = SPEECH_TEXT[key as SpeechKey];
      options.failed(code, english, options.text ? options.text(key as SpeechKey, english) : english);
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
