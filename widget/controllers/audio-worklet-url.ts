import { ASSET_FILES } from '../assets.ts';

/**
 * Why audio could not start. This module loads lazily (pcm.lazy.ts) and shares no code with the start-up bundle, so
 * its errors are plain; the start-up side turns them into WidgetErrors with the same code and message (ptt-audio.ts).
 */
export class AudioError extends Error {
  constructor(
    readonly code: 'audio_unavailable' | 'audio_blocked',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AudioError';
  }
}

/**
 * Where the audio worklet module lives: next to the widget script (by its hashed name in a build), so pages with a
 * strict Content-Security-Policy (no blob: or data: workers) can still load it. `scriptUrl` is the widget script's own
 * URL (`import.meta.url` in the ES module build, `document.currentScript.src` in the IIFE build).
 */
export function workletUrl(scriptUrl: string): string {
  return new URL(ASSET_FILES.worklet, scriptUrl).href;
}

/**
 * One AudioContext with the worklet module loaded, shared by whoever holds it: `PcmCapture` and `PcmPlayer` each
 * `acquire()` it when they start and `release()` it when they stop, and the last release closes the context. One
 * engine belongs to one widget instance; two widgets on a page share nothing.
 */
export class AudioEngine {
  private ctx: AudioContext | null = null;
  private loading: Promise<AudioContext> | null = null;
  private users = 0;

  constructor(
    readonly workletUrl: string,
    private readonly contextOptions: AudioContextOptions = { latencyHint: 'interactive' },
  ) {}

  get context(): AudioContext | null {
    return this.ctx;
  }

  /** Takes a share (counted at once, so a release() before it settles still balances it). */
  acquire(): Promise<AudioContext> {
    this.users++;
    if (!this.loading) {
      let ctx: AudioContext;
      try {
        ctx = this.ctx = new AudioContext(this.contextOptions);
      } catch (err) {
        return Promise.reject(
          new AudioError('audio_unavailable', 'This browser cannot play or record audio here. Please type instead.', {
            cause: err,
          }),
        );
      }
      this.loading = ctx.audioWorklet.addModule(this.workletUrl).then(
        () => ctx,
        (err: unknown) => {
          throw new AudioError(
            'audio_unavailable',
            'The audio module could not be loaded. Reload the page and try again, or type instead.',
            { cause: err },
          );
        },
      );
    }
    return this.loading;
  }

  release(): void {
    if (this.users === 0 || --this.users > 0) return;
    void this.ctx?.close().catch(() => {});
    this.ctx = null;
    this.loading = null;
  }
}

/**
 * Resumes a context. Browsers that block autoplay leave resume() pending until a user gesture instead of rejecting,
 * so a short wait decides; the rejection lets the UI offer "tap to turn on sound" and call start() again from the tap.
 */
export async function resumeContext(ctx: AudioContext, waitMs = 400): Promise<void> {
  if (ctx.state === 'running') return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    ctx.resume().catch(() => {}),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs))),
  ]);
  clearTimeout(timer);
  // Read again: resume() changed it after the check above narrowed its type.
  if ((ctx.state as AudioContextState) !== 'running') {
    throw new AudioError(
      'audio_blocked',
      'Your browser is holding back sound until you tap the page. Tap "Turn on sound" to hear the assistant.',
    );
  }
}

/** Either a worklet URL (an engine of one's own) or an engine shared with another controller. */
export type EngineSource = { workletUrl: string; engine?: undefined } | { engine: AudioEngine; workletUrl?: undefined };

export function engineFrom(source: EngineSource): AudioEngine {
  return source.engine ?? new AudioEngine(source.workletUrl);
}
