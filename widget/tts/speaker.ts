import type { TtsRequest } from '../../worker/api-types.ts';
import { SentenceSplitter } from '../avatar/sentences.ts';
import type { AssistantDelta } from '../realtime/session-events.ts';
import type { OutputEvents, SpeechOutput } from './output.ts';

/** The Worker's POST /v1/tts: resolves with the streaming response; a refusal rejects with `{ code, message }`. */
export interface SpeechApi {
  tts(body: TtsRequest, signal: AbortSignal): Promise<Response>;
}

export type EndReason = 'finished' | 'interrupted' | 'muted';

export interface SpeakerOptions {
  api: SpeechApi;
  uid: () => string;
  createOutput: (events: OutputEvents) => SpeechOutput;
  started(): void;
  ended(reason: EndReason): void;
  /** Speech failed; the speaker is stopped for good and replies go on as text. */
  failed(code: string, error: unknown): void;
  blocked(): void;
  /** After the first sentence (alone, to start soon), requests take what has piled up, up to this many characters. */
  maxRequestChars?: number;
}

/** Reads `code` off whatever was thrown (the main bundle's error class is not known in this chunk). */
const codeOf = (error: unknown, fallback: string) => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : fallback;
};

/**
 * One turn of speech: the sentences of one or more replies, fetched one request at a time (ElevenLabs limits
 * concurrent requests, and the next request is read long before the audio before it has played) into one output.
 */
class Turn {
  readonly sentences: string[] = [];
  /** Responses still writing into this turn. */
  readonly open = new Set<string>();
  private readonly abort = new AbortController();
  private output: SpeechOutput | null = null;
  private requests = 0;
  private fetching = false;
  private stopped = false;
  private started = false;
  /** All its audio is requested and its output told to end: a later reply starts a turn of its own. */
  closing = false;
  readonly finished: Promise<void>;
  private finish!: () => void;

  constructor(
    private readonly o: SpeakerOptions,
    private readonly fail: (code: string, error: unknown) => void,
  ) {
    this.finished = new Promise((resolve) => (this.finish = resolve));
  }

  get playing(): boolean {
    return this.started && !this.stopped;
  }

  add(sentence: string): void {
    this.sentences.push(sentence);
    this.pump();
  }

  /** Plays once the turn before it has finished, so two replies never talk over each other. */
  begin(): void {
    if (this.stopped || this.output) return;
    this.output = this.o.createOutput({
      playing: () => {
        this.started = true;
        this.o.started();
      },
      ended: () => this.done('finished'),
      error: (code, cause) => this.fail(code, cause),
      blocked: () => this.o.blocked(),
    });
    this.pump();
  }

  resume(): void {
    this.output?.resume();
  }

  stop(reason: EndReason): void {
    if (this.stopped) return;
    const wasPlaying = this.started;
    this.stopped = true;
    this.abort.abort();
    this.output?.stop();
    this.finish();
    if (wasPlaying) this.o.ended(reason);
  }

  private done(reason: EndReason): void {
    if (this.stopped) return;
    this.stopped = true;
    this.finish();
    if (this.started) this.o.ended(reason);
  }

  /** Ends the turn when its replies are done and everything was requested. */
  pump(): void {
    const output = this.output;
    if (!output || this.stopped || this.fetching) return;
    if (this.sentences.length === 0) {
      if (this.open.size === 0) {
        this.closing = true;
        output.end();
      }
      return;
    }
    const max = this.o.maxRequestChars ?? 600;
    let text = this.sentences.shift()!;
    if (this.requests > 0)
      while (this.sentences.length && text.length + 1 + this.sentences[0]!.length <= max)
        text += ` ${this.sentences.shift()!}`;
    this.requests++;
    this.fetching = true;
    void this.fetch(output, text).then(() => {
      this.fetching = false;
      this.pump();
    });
  }

  private async fetch(output: SpeechOutput, text: string): Promise<void> {
    try {
      const res = await this.o.api.tts({ text, uid: this.o.uid() }, this.abort.signal);
      if (!res.body) throw Object.assign(new Error('no audio'), { code: 'tts_failed' });
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (this.stopped) return void reader.cancel().catch(() => {});
        output.write(value);
      }
      output.flush();
    } catch (error) {
      if (this.stopped) return;
      this.fail(codeOf(error, 'tts_failed'), error);
    }
  }
}

/**
 * Speaks the assistant's text replies as they stream: sentence by sentence through the Worker's ElevenLabs route.
 * A new visitor message or mute stops it at once; any failure stops it for good (the host falls back to text).
 */
export class Speaker {
  private turn: Turn | null = null;
  private readonly turns = new Set<Turn>();
  private chain: Promise<void> = Promise.resolve();
  private readonly splitters = new Map<string, SentenceSplitter>();
  /** Responses whose speech was stopped: their late deltas are not spoken. */
  private readonly cancelled = new Set<string>();
  private failed = false;

  constructor(private readonly o: SpeakerOptions) {}

  /** Text replies only: the voice modes have the model's own voice. */
  onAssistantDelta(d: AssistantDelta): void {
    if (this.failed || d.source !== 'text' || this.cancelled.has(d.responseId)) return;
    let splitter = this.splitters.get(d.responseId);
    if (!splitter) {
      this.splitters.set(d.responseId, (splitter = new SentenceSplitter()));
      this.currentTurn().open.add(d.responseId);
    }
    for (const sentence of splitter.push(d.delta)) this.currentTurn().add(sentence);
  }

  onReplyDone(responseId: string | null): void {
    if (this.failed) return;
    const id = responseId ?? '';
    const splitter = this.splitters.get(id);
    if (!splitter) return;
    this.splitters.delete(id);
    const rest = splitter.flush();
    const turn = this.currentTurn();
    turn.open.delete(id);
    if (rest) turn.add(rest);
    else turn.pump();
  }

  /** The visitor typed a new message or muted: silence now, forget what was queued. */
  stop(reason: EndReason = 'interrupted'): void {
    for (const id of this.splitters.keys()) this.cancelled.add(id);
    this.splitters.clear();
    this.turn = null;
    this.chain = Promise.resolve();
    for (const turn of [...this.turns]) turn.stop(reason);
  }

  resume(): void {
    for (const turn of this.turns) turn.resume();
  }

  get speaking(): boolean {
    return [...this.turns].some((t) => t.playing);
  }

  private currentTurn(): Turn {
    if (this.turn && !this.turn.closing) return this.turn;
    const turn = (this.turn = new Turn(this.o, (code, error) => this.fail(code, error)));
    // The turn begins once the one before it has played out; a later one waits for it in turn.
    const previous = this.chain;
    this.chain = previous.then(() => {
      turn.begin();
      return turn.finished;
    });
    void turn.finished.then(() => {
      if (this.turn === turn) this.turn = null;
    });
    // Every turn not yet finished (a closing one still plays): `stop()` silences them all.
    this.turns.add(turn);
    void turn.finished.then(() => this.turns.delete(turn));
    return turn;
  }

  private fail(code: string, error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.stop('interrupted');
    this.o.failed(code, error);
  }
}
