import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ApiClient } from '../api/client.ts';
import { loadSpeech } from '../lazy.ts';
import type { ReplyFollower, SessionEvents } from '../realtime/session-events.ts';
import type { SessionStore } from '../state/session-store.ts';
import type { SpeechDetail } from '../events.ts';
import type { EndReason, SpeechHandle, StartSpeechOptions } from './speech.lazy.ts';

export type { SpeechDetail };

type Speaking = Pick<ReplyFollower, 'onAssistantDelta' | 'onReplyDone'>;

export interface SpeechHostOptions {
  store: SessionStore;
  api: () => ApiClient | null;
  uid: () => string;
  /** Another voice speaks the replies already (the avatar). */
  silenced: () => boolean;
  emit: (detail: SpeechDetail) => void;
}

/**
 * The main bundle's side of spoken replies (text mode, `tts` flag): whether they are on, the visitor's mute, the
 * one notice on failure. The speaking itself (sentences, requests, playback) is a lazy chunk, loaded when a text
 * conversation starts; this file must stay small.
 */
export class SpeechHost implements ReactiveController {
  /** Applied to every speaker the page starts; tests inject outputs. */
  static overrides: Partial<StartSpeechOptions> = {};
  muted = false;
  private handle: SpeechHandle | null = null;
  private loading: Promise<void> | null = null;
  /** What arrived while the speaker loaded, replayed when it is there. */
  private backlog: Array<(handle: Speaking) => void> = [];
  /** Failed in this conversation: silent text until the next one. */
  private failed = false;

  private off: (() => void) | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly o: SpeechHostOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.off = this.o.store.$status.listen(() => this.sync());
  }

  hostDisconnected(): void {
    this.off?.();
    this.off = null;
    this.stop();
  }

  /** The server can speak and the `tts` flag is on for this unit. */
  get available(): boolean {
    const config = this.o.store.$config.get();
    return !!config?.tts?.available && config.flags.tts?.enabled !== false;
  }

  /**
   * Spoken replies belong to text mode (the voice modes have the model's own voice), until they failed in this
   * conversation: then there is nothing to mute either.
   */
  get offered(): boolean {
    return this.available && this.o.store.$mode.get() === 'text' && !this.failed;
  }

  private get active(): boolean {
    return this.offered && !this.muted && !this.o.silenced();
  }

  /** Called on every status change: load ahead of the first reply; stop with the conversation. */
  sync(): void {
    const status = this.o.store.$status.get();
    if (status === 'idle' || status === 'error' || !this.offered) {
      this.stop();
      if (status === 'idle' && this.failed) this.reset();
    } else if (this.active) this.load();
  }

  /** Text replies are spoken as they stream; a barge-in (the visitor typed) silences them at once. */
  follow(
    on: <K extends keyof SessionEvents>(type: K, listener: (payload: SessionEvents[K]) => void) => () => void,
  ): () => void {
    const offs = [
      on('assistant-delta', (d) => this.pass((h) => h.onAssistantDelta(d))),
      on('reply-done', ({ responseId }) => this.pass((h) => h.onReplyDone(responseId))),
      on('barge-in', () => this.stop()),
    ];
    return () => offs.forEach((off) => off());
  }

  private pass(deliver: (handle: Speaking) => void): void {
    if (!this.active) return;
    if (this.handle) return deliver(this.handle);
    this.backlog.push(deliver);
    this.load();
  }

  /** A new message from the visitor (or the avatar taking over): silence at once. */
  stop(reason: EndReason = 'interrupted'): void {
    this.backlog = [];
    this.handle?.stop(reason);
  }

  toggleMute(): void {
    this.muted = !this.muted;
    if (this.muted) this.stop('muted');
    this.host.requestUpdate();
  }

  /** From the "turn on sound" tap, when the autoplay policy held playback back. */
  unlock(): void {
    this.handle?.resume();
    this.o.store.$needsAudioUnlock.set(false);
  }

  private load(): void {
    const api = this.o.api();
    if (this.loading || !api) return;
    this.loading = (async () => {
      try {
        const { startSpeech } = await loadSpeech();
        this.handle = await startSpeech({
          api: { tts: (body, signal) => api.tts(body, signal) },
          uid: this.o.uid,
          started: () => this.o.emit({ type: 'started' }),
          ended: (reason) => this.o.emit({ type: 'ended', reason }),
          failed: (code, message) => this.fail(code, message),
          blocked: () => this.o.store.$needsAudioUnlock.set(true),
          ...SpeechHost.overrides,
        });
        for (const deliver of this.backlog.splice(0)) this.pass(deliver);
      } catch {
        // The chunk did not load (offline, the page's CSP).
        this.fail('tts_unavailable', 'Spoken replies are not available right now; replies continue as text.');
      }
    })();
  }

  private fail(code: string, message: string): void {
    if (this.failed) return;
    this.failed = true;
    this.backlog = [];
    this.o.store.addNotice(message, 'warning');
    this.o.emit({ type: 'fallback', reason: code });
    this.o.store.reportError(code, message);
    this.host.requestUpdate();
  }

  /** A failed speaker stays stopped; the next conversation gets a new one (and, failing, one notice again). */
  private reset(): void {
    this.failed = false;
    this.handle = null;
    this.loading = null;
  }
}
