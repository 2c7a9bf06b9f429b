import { type AudioEngine, type EngineSource, engineFrom, resumeContext } from './audio-worklet-url.ts';

const FRAMES_PER_MS = 24;
/** How far past the worklet's last report (sent every ~50 ms) the position may be extrapolated. */
const MAX_EXTRAPOLATION_S = 0.2;
/** Items whose counts are kept for playedMs() after they leave the queue. */
const KEEP_FINISHED = 64;

type PlayedMessage = { type: 'played'; epoch: number; frames: number; playing: boolean; time: number; seq?: number };
type PushMessage = { type: 'push'; id: string; audio: string };
/** A run of one item's frames in the current epoch's stream, in enqueue order. */
type Span = { id: string; start: number; frames: number };

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** 24 kHz PCM16 frames in a base64 string, counted from its length so the main thread never decodes audio. */
function base64Bytes(b64: string): number {
  const pad = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return Math.floor((b64.length * 3) / 4) - pad;
}

/**
 * Plays the model's `response.output_audio.delta` chunks (base64 PCM16, 24 kHz) back to back through the
 * `vb-playback` worklet, which decodes them and reports its position. The position is counted in frames the audio
 * thread has rendered; those are heard a few ms later (ctx.outputLatency) and still play out after a clear(), so it
 * is what the listener has heard, as `conversation.item.truncate { audio_end_ms }` wants.
 */
export class PcmPlayer {
  private readonly engine: AudioEngine;
  private opening: Promise<AudioContext> | null = null;
  private ctx: AudioContext | null = null;
  private node: AudioWorkletNode | null = null;
  /** Between the worklet and the speakers, so the avatar can silence the model's voice without touching its clock. */
  private gain: GainNode | null = null;
  private muted = false;
  private run = 0;
  private backlog: PushMessage[] = [];
  private readonly idle = new Set<() => void>();
  private readonly waiting = new Map<number, () => void>();
  private seq = 0;
  // The stream of the current epoch (a clear() starts the next): what was enqueued and where the worklet is.
  private epoch = 0;
  private spans: Span[] = [];
  private total = 0;
  private oddByte = false;
  private oddId: string | null = null;
  private heard = 0;
  private heardAt = 0;
  private heardPlaying = false;
  private highest = 0;
  private busy = false;
  private readonly finished = new Map<string, number>();

  /**
   * `prebufferMs` (60 by default): after silence, playback starts once this much audio is queued or this long after
   * the first chunk arrived, whichever comes first, so a late second delta does not leave a hole.
   */
  constructor(private readonly opts: EngineSource & { prebufferMs?: number }) {
    this.engine = engineFrom(opts);
  }

  /** True from the first enqueue until the queue has drained (or clear()). */
  get playing(): boolean {
    return this.busy;
  }

  /** The worklet node, for anything that wants to listen to the model's voice (a level meter, lip sync). */
  get output(): AudioNode | null {
    return this.node;
  }

  /**
   * Sets up playback and resumes the context. Rejects with `audio_blocked` when autoplay is blocked: chunks
   * enqueued meanwhile wait, and calling start() again from a tap plays them.
   */
  async start(): Promise<void> {
    const run = this.run;
    this.opening ??= this.open();
    let ctx: AudioContext;
    try {
      ctx = await this.opening;
    } catch (err) {
      if (run !== this.run) return; // closed while opening: nothing to report
      throw err;
    }
    if (run === this.run) await resumeContext(ctx);
  }

  private async open(): Promise<AudioContext> {
    const run = this.run;
    try {
      const ctx = await this.engine.acquire();
      if (run !== this.run) return ctx;
      const node = new AudioWorkletNode(ctx, 'vb-playback', {
        numberOfInputs: 0,
        numberOfOutputs: 1,
        outputChannelCount: [1],
        processorOptions: { epoch: this.epoch, prebufferMs: this.opts.prebufferMs ?? 60 },
      });
      node.port.onmessage = (e: MessageEvent<PlayedMessage>) => this.onMessage(e.data);
      const gain = (this.gain = new GainNode(ctx, { gain: this.muted ? 0 : 1 }));
      node.connect(gain).connect(ctx.destination);
      for (const msg of this.backlog) node.port.postMessage(msg);
      this.backlog = [];
      this.ctx = ctx;
      this.node = node;
      return ctx;
    } catch (err) {
      if (run === this.run) this.close();
      throw err;
    }
  }

  /** Silences playback (the avatar speaks instead) while the position keeps counting; carries over to a reopen. */
  setMuted(muted: boolean): void {
    this.muted = muted;
    if (this.gain) this.gain.gain.value = muted ? 0 : 1;
  }

  enqueue(itemId: string, base64: string): void {
    // Mirrors the worklet: a byte left over mid-sample joins the next chunk of the same item.
    const bytes = base64Bytes(base64) + (this.oddByte && this.oddId === itemId ? 1 : 0);
    this.oddByte = (bytes & 1) === 1;
    this.oddId = itemId;
    const frames = bytes >> 1;
    if (frames > 0) {
      const last = this.spans[this.spans.length - 1];
      if (last?.id === itemId) last.frames += frames;
      else this.spans.push({ id: itemId, start: this.total, frames });
      this.total += frames;
      this.busy = true;
    }
    const msg: PushMessage = { type: 'push', id: itemId, audio: base64 };
    if (this.node) this.node.port.postMessage(msg);
    else this.backlog.push(msg);
  }

  /** How much of an item has been played, in ms: exact at each report, extrapolated on the audio clock between. */
  playedMs(itemId: string): number {
    return this.framesOf(itemId, this.position()) / FRAMES_PER_MS;
  }

  /** Calls `cb` each time the queue drains; an underrun mid-item counts too. Returns an unsubscribe function. */
  onIdle(cb: () => void): () => void {
    this.idle.add(cb);
    return () => this.idle.delete(cb);
  }

  /** Asks the worklet for its position now, rather than at its next ~50 ms report. */
  sync(): Promise<void> {
    const node = this.node;
    if (!node) return Promise.resolve();
    const seq = ++this.seq;
    return new Promise((resolve) => {
      this.waiting.set(seq, resolve);
      node.port.postMessage({ type: 'report', seq });
    });
  }

  /**
   * Stops at once and drops the queue. Returns the item at the play position and how much of it was heard, or null
   * when nothing was playing (after a drain, the session can still ask playedMs() of the item it streams).
   */
  clear(): { itemId: string; playedMs: number } | null {
    const pos = this.position();
    let result: { itemId: string; playedMs: number } | null = null;
    if (this.busy) {
      const span = this.spans.find((s) => pos < s.start + s.frames) ?? this.spans[this.spans.length - 1];
      if (span) result = { itemId: span.id, playedMs: this.framesOf(span.id, pos) / FRAMES_PER_MS };
    }
    this.endEpoch();
    this.node?.port.postMessage({ type: 'clear', epoch: this.epoch });
    return result;
  }

  close(): void {
    this.endEpoch();
    this.run++;
    if (this.node) {
      this.node.port.postMessage({ type: 'stop' });
      this.node.port.onmessage = null;
      this.node.disconnect();
      this.node = null;
      this.gain?.disconnect();
      this.gain = null;
    }
    if (this.opening) this.engine.release();
    this.opening = null;
    this.ctx = null;
    for (const resolve of this.waiting.values()) resolve();
    this.waiting.clear();
  }

  /**
   * Keeps what each item got to play, then starts an empty stream; the worklet's reports of the old one are ignored.
   */
  private endEpoch() {
    const pos = this.position();
    for (const s of this.spans) if (pos > s.start) this.remember(s.id, Math.min(pos - s.start, s.frames));
    this.epoch++;
    this.backlog = [];
    this.spans = [];
    this.total = 0;
    this.oddByte = false;
    this.oddId = null;
    this.heard = 0;
    this.heardPlaying = false;
    this.highest = 0;
    this.busy = false;
  }

  private onMessage(msg: PlayedMessage) {
    if (msg.epoch === this.epoch) {
      this.heard = msg.frames;
      this.heardAt = msg.time;
      this.heardPlaying = msg.playing;
      this.prune();
      // A report sent before the worklet got the latest chunks says "stopped" too early; the count tells.
      if (!msg.playing && this.busy && msg.frames >= this.total) {
        this.busy = false;
        for (const cb of [...this.idle]) cb();
      }
    }
    if (msg.seq !== undefined) {
      this.waiting.get(msg.seq)?.();
      this.waiting.delete(msg.seq);
    }
  }

  /** Frames of the epoch played by now: the last report plus the audio clock's progress since, never past the queue. */
  private position(): number {
    let pos = this.heard;
    if (this.heardPlaying && this.ctx)
      pos += clamp(this.ctx.currentTime - this.heardAt, 0, MAX_EXTRAPOLATION_S) * 24000;
    // Monotonic, so an estimate handed out (say, for a truncate) is never contradicted by a smaller one.
    this.highest = Math.max(this.highest, Math.min(Math.floor(pos), this.total));
    return this.highest;
  }

  private framesOf(id: string, pos: number): number {
    let frames = this.finished.get(id) ?? 0;
    for (const s of this.spans) if (s.id === id) frames += clamp(pos - s.start, 0, s.frames);
    return frames;
  }

  /** Moves fully played spans (all but the last) out of the queue into `finished`. */
  private prune() {
    while (this.spans.length > 1) {
      const s = this.spans[0]!;
      if (s.start + s.frames > this.heard) break;
      this.remember(s.id, s.frames);
      this.spans.shift();
    }
  }

  private remember(id: string, frames: number) {
    const prev = this.finished.get(id) ?? 0;
    this.finished.delete(id);
    this.finished.set(id, prev + frames);
    if (this.finished.size > KEEP_FINISHED) this.finished.delete(this.finished.keys().next().value!);
  }
}
