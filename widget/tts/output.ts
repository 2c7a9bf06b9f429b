// Where spoken replies play. Two ways to play MP3 as it arrives: Media Source Extensions (an <audio> element fed
// chunk by chunk: sound starts with the first bytes), or, where MSE has no audio/mpeg or the page's CSP refuses
// the blob: URL MSE needs, Web Audio decoding each request's audio once it is complete.

export interface OutputEvents {
  /** Sound started (the first time only). */
  playing(): void;
  /** Everything written was played after `end()`. */
  ended(): void;
  error(code: string, cause?: unknown): void;
  /** The browser's autoplay policy refused to start; `resume()` from a tap tries again. */
  blocked(): void;
}

/** One turn of speech: the audio of one or more requests, played back to back. */
export interface SpeechOutput {
  write(bytes: Uint8Array<ArrayBuffer>): void;
  /** The end of one request's audio. */
  flush(): void;
  /** Nothing more comes: play to the end, then `ended`. */
  end(): void;
  /** Silence at once and release everything. */
  stop(): void;
  /** Retries playback refused by the autoplay policy (call from a user gesture). */
  resume(): void;
}

const MIME = 'audio/mpeg';

export function mseSupported(): boolean {
  return typeof MediaSource !== 'undefined' && MediaSource.isTypeSupported(MIME);
}

/**
 * Whether MSE works on this page: a Content-Security-Policy without `blob:` in media-src refuses the object URL,
 * and the source then never opens.
 */
export function probeMse(timeoutMs = 1500): Promise<boolean> {
  if (!mseSupported()) return Promise.resolve(false);
  return new Promise((resolve) => {
    const source = new MediaSource();
    const audio = new Audio();
    const url = URL.createObjectURL(source);
    const done = (ok: boolean) => {
      clearTimeout(timer);
      audio.removeAttribute('src');
      audio.load();
      URL.revokeObjectURL(url);
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    source.addEventListener('sourceopen', () => done(true), { once: true });
    audio.addEventListener('error', () => done(false), { once: true });
    audio.src = url;
  });
}

const blockedByPolicy = (error: unknown) => (error as { name?: string } | null)?.name === 'NotAllowedError';

/** MP3 chunks appended to one SourceBuffer in `sequence` mode, so requests follow each other without gaps. */
export class MseOutput implements SpeechOutput {
  readonly audio: HTMLAudioElement;
  private readonly source = new MediaSource();
  private readonly url: string;
  private buffer: SourceBuffer | null = null;
  private readonly pending: Uint8Array<ArrayBuffer>[] = [];
  private ending = false;
  private stopped = false;
  private started = false;

  constructor(private readonly events: OutputEvents) {
    this.audio = new Audio();
    this.url = URL.createObjectURL(this.source);
    this.source.addEventListener('sourceopen', this.onOpen, { once: true });
    this.audio.addEventListener('playing', this.onPlaying);
    this.audio.addEventListener('ended', this.onEnded);
    this.audio.addEventListener('error', this.onError);
    this.audio.src = this.url;
    this.resume();
  }

  write(bytes: Uint8Array<ArrayBuffer>): void {
    if (this.stopped) return;
    this.pending.push(bytes);
    this.pump();
  }

  flush(): void {}

  end(): void {
    this.ending = true;
    this.pump();
  }

  resume(): void {
    if (this.stopped) return;
    // Resolves once sound plays (there may be no data yet); refused outright when autoplay is not allowed.
    this.audio.play().catch((error: unknown) => {
      if (!this.stopped && blockedByPolicy(error)) this.events.blocked();
    });
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.pending.length = 0;
    this.audio.removeEventListener('playing', this.onPlaying);
    this.audio.removeEventListener('ended', this.onEnded);
    this.audio.removeEventListener('error', this.onError);
    this.buffer?.removeEventListener('updateend', this.pump);
    this.audio.pause();
    this.audio.removeAttribute('src');
    this.audio.load();
    URL.revokeObjectURL(this.url);
  }

  private readonly onOpen = () => {
    if (this.stopped) return;
    try {
      this.buffer = this.source.addSourceBuffer(MIME);
      this.buffer.mode = 'sequence';
      this.buffer.addEventListener('updateend', this.pump);
    } catch (error) {
      this.fail('tts_playback_failed', error);
      return;
    }
    this.pump();
  };

  private readonly pump = () => {
    const buffer = this.buffer;
    if (this.stopped || !buffer || buffer.updating) return;
    const next = this.pending.shift();
    if (next) {
      try {
        buffer.appendBuffer(next);
      } catch (error) {
        this.fail('tts_playback_failed', error);
      }
      return;
    }
    if (this.ending && this.source.readyState === 'open') {
      if (!this.started && buffer.buffered.length === 0) return this.finish(); // nothing was ever written
      this.source.endOfStream();
    }
  };

  private readonly onPlaying = () => {
    if (this.started) return;
    this.started = true;
    this.events.playing();
  };

  private readonly onEnded = () => this.finish();

  private readonly onError = () => this.fail('tts_playback_failed', this.audio.error);

  private finish(): void {
    if (this.stopped) return;
    this.stop();
    this.events.ended();
  }

  private fail(code: string, cause: unknown): void {
    if (this.stopped) return;
    this.stop();
    this.events.error(code, cause);
  }
}

/**
 * Web Audio: each request's MP3 is decoded once complete and scheduled right after the previous one. Needs no
 * blob: URL; sound starts a request later than with MSE.
 */
export class DecodedOutput implements SpeechOutput {
  private chunks: Uint8Array[] = [];
  private readonly sources = new Set<AudioBufferSourceNode>();
  private decoding: Promise<void> = Promise.resolve();
  private pendingDecodes = 0;
  private nextAt = 0;
  private ending = false;
  private stopped = false;
  private started = false;

  constructor(
    private readonly context: AudioContext,
    private readonly events: OutputEvents,
  ) {
    this.resume();
  }

  write(bytes: Uint8Array<ArrayBuffer>): void {
    if (!this.stopped) this.chunks.push(bytes);
  }

  flush(): void {
    if (this.stopped || this.chunks.length === 0) return;
    const parts = this.chunks;
    this.chunks = [];
    const bytes = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
    let offset = 0;
    for (const p of parts) {
      bytes.set(p, offset);
      offset += p.byteLength;
    }
    this.pendingDecodes++;
    // In order: a later request can decode faster than an earlier one.
    this.decoding = this.decoding.then(async () => {
      try {
        const audio = await this.context.decodeAudioData(bytes.buffer);
        if (!this.stopped) this.schedule(audio);
      } catch (error) {
        this.fail('tts_playback_failed', error);
      } finally {
        this.pendingDecodes--;
        this.maybeEnded();
      }
    });
  }

  end(): void {
    this.flush();
    this.ending = true;
    this.maybeEnded();
  }

  resume(): void {
    if (this.stopped || this.context.state !== 'suspended') return;
    this.context.resume().catch(() => {});
    // A context the autoplay policy holds stays suspended until a gesture.
    setTimeout(() => {
      if (!this.stopped && this.context.state === 'suspended') this.events.blocked();
    }, 300);
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.chunks = [];
    for (const source of this.sources) {
      source.onended = null;
      source.stop();
      source.disconnect();
    }
    this.sources.clear();
  }

  private schedule(audio: AudioBuffer): void {
    const source = this.context.createBufferSource();
    source.buffer = audio;
    source.connect(this.context.destination);
    const at = Math.max(this.context.currentTime + 0.02, this.nextAt);
    source.start(at);
    this.nextAt = at + audio.duration;
    this.sources.add(source);
    source.onended = () => {
      this.sources.delete(source);
      source.disconnect();
      this.maybeEnded();
    };
    if (!this.started) {
      this.started = true;
      this.events.playing();
    }
  }

  private maybeEnded(): void {
    if (this.stopped || !this.ending || this.pendingDecodes > 0 || this.sources.size > 0 || this.chunks.length > 0)
      return;
    this.stopped = true;
    this.events.ended();
  }

  private fail(code: string, cause: unknown): void {
    if (this.stopped) return;
    this.stop();
    this.events.error(code, cause);
  }
}
