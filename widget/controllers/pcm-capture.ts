import { type AudioEngine, type EngineSource, engineFrom, resumeContext } from './audio-worklet-url.ts';

export type PcmCaptureOptions = EngineSource & {
  /** A chunk of 24 kHz mono PCM16 as base64, ready for `input_audio_buffer.append { audio }`. */
  onChunk: (base64: string, durationMs: number) => void;
  /** Chunk length; 40 ms (960 samples, 1920 bytes) by default. A pause flushes a shorter last chunk. */
  chunkMs?: number;
};

type CaptureMessage = { type: 'chunk'; audio: string; frames: number } | { type: 'paused'; seq: number };

/**
 * Turns a microphone stream into 24 kHz PCM16 base64 chunks for the Realtime WebSocket. Resampling, conversion and
 * encoding run in the `vb-capture` worklet, so the main thread only forwards strings. `stop()` disconnects its nodes
 * and releases the AudioContext (closing it unless a player still shares the engine); it never stops the stream's
 * tracks, which belong to the caller.
 */
export class PcmCapture {
  private readonly engine: AudioEngine;
  private source: MediaStreamAudioSourceNode | null = null;
  private node: AudioWorkletNode | null = null;
  private holding = false;
  private run = 0;
  private paused = false;
  private frames = 0;
  private seq = 0;
  private readonly pausing = new Map<number, () => void>();

  constructor(private readonly opts: PcmCaptureOptions) {
    this.engine = engineFrom(opts);
  }

  /** Audio delivered through onChunk since start(), in ms. */
  get capturedMs(): number {
    return this.frames / 24;
  }

  /** True while started and not paused. */
  get active(): boolean {
    return this.node !== null && !this.paused;
  }

  /**
   * Starts capturing `stream`, emitting at once unless `paused` (a push-to-talk widget can start paused when the
   * session opens, so a press only has to resume). Rejects with `audio_blocked` when the browser wants a gesture.
   */
  async start(stream: MediaStream, { paused = false }: { paused?: boolean } = {}): Promise<void> {
    this.stop();
    const run = this.run;
    this.holding = true;
    this.paused = paused;
    this.frames = 0;
    try {
      const ctx = await this.engine.acquire();
      if (run !== this.run) return;
      await resumeContext(ctx);
      if (run !== this.run) return;
      const node = new AudioWorkletNode(ctx, 'vb-capture', {
        numberOfInputs: 1,
        // No output: nothing reaches the speakers, and Chromium still pulls a node that has only inputs.
        numberOfOutputs: 0,
        channelCount: 1,
        channelCountMode: 'explicit',
        channelInterpretation: 'speakers',
        processorOptions: { chunkMs: this.opts.chunkMs ?? 40, paused: this.paused },
      });
      node.port.onmessage = (e: MessageEvent<CaptureMessage>) => this.onMessage(e.data);
      const source = ctx.createMediaStreamSource(stream);
      source.connect(node);
      this.node = node;
      this.source = source;
    } catch (err) {
      if (run !== this.run) return;
      this.stop();
      throw err;
    }
  }

  private onMessage(msg: CaptureMessage) {
    if (msg.type === 'chunk') {
      this.frames += msg.frames;
      this.opts.onChunk(msg.audio, msg.frames / 24);
    } else {
      this.pausing.get(msg.seq)?.();
      this.pausing.delete(msg.seq);
    }
  }

  /**
   * Stops emitting without tearing down. The worklet flushes the partial chunk it holds first, and the promise
   * resolves after that last onChunk, so `input_audio_buffer.commit` can follow it safely.
   */
  pause(): Promise<void> {
    const node = this.node;
    const wasPaused = this.paused;
    this.paused = true;
    if (!node || wasPaused) return Promise.resolve();
    const seq = ++this.seq;
    return new Promise((resolve) => {
      this.pausing.set(seq, resolve);
      node.port.postMessage({ type: 'pause', seq });
    });
  }

  resume(): void {
    this.paused = false;
    this.node?.port.postMessage({ type: 'resume' });
  }

  stop(): void {
    this.run++;
    if (this.node) {
      this.node.port.postMessage({ type: 'stop' });
      this.node.port.onmessage = null;
      this.node.disconnect();
      this.node = null;
    }
    this.source?.disconnect();
    this.source = null;
    for (const resolve of this.pausing.values()) resolve();
    this.pausing.clear();
    if (this.holding) {
      this.holding = false;
      this.engine.release();
    }
  }
}
