import type { ReactiveControllerHost } from 'lit';
import type { WorkerApi } from '../api/endpoints.ts';
import { StatusFollower } from '../controllers/status-follower.ts';
import type { SessionStore } from '../state/session-store.ts';
import type { SpeechDetail } from '../events.ts';
import type { EndReason, StartSpeechOptions } from './speech.lazy.ts';
import type { SpeechRunner } from './runner.ts';

export type { SpeechDetail };

export interface SpeechHostOptions {
  store: SessionStore;
  api: () => WorkerApi | null;
  uid: () => string;
  /** Another voice speaks the replies already (the avatar). */
  silenced: () => boolean;
  emit: (detail: SpeechDetail) => void;
}

/**
 * The start-up bundle's side of spoken replies (text mode, `tts` flag): whether they are on and the visitor's mute.
 * Speaking them is the conversation's machinery's (runner.ts, handed over with the first connection), the speaker
 * itself (sentences, requests, playback) a lazy chunk loaded when a text conversation starts; this file must stay
 * small.
 */
export class SpeechHost extends StatusFollower<SpeechRunner> {
  /** Applied to every speaker the page starts; tests inject outputs. */
  static overrides: Partial<StartSpeechOptions> = {};
  muted = false;

  constructor(
    host: ReactiveControllerHost,
    readonly o: SpeechHostOptions,
  ) {
    super(host, o.store);
  }

  get overrides(): Partial<StartSpeechOptions> {
    return SpeechHost.overrides;
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
    return this.available && this.o.store.$mode.get() === 'text' && !this.runner?.failed;
  }

  protected left(): void {
    this.stop();
  }

  /** A new message from the visitor (or the avatar taking over): silence at once. */
  stop(reason: EndReason = 'interrupted'): void {
    this.runner?.stop(reason);
  }

  toggleMute(): void {
    this.muted = !this.muted;
    if (this.muted) this.stop('muted');
    this.host.requestUpdate();
  }

  /** From the "turn on sound" tap, when the autoplay policy held playback back. */
  unlock(): void {
    this.runner?.resume();
    this.o.store.$needsAudioUnlock.set(false);
  }
}
