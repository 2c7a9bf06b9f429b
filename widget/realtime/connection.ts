import type { SessionResponse } from '../../worker/api-types.ts';
import type { WorkerApi } from '../api/endpoints.ts';
import { AudioOutput } from '../controllers/audio-output.ts';
import { LevelMeter } from '../controllers/level-meter.ts';
import { Microphone } from '../controllers/microphone.ts';
import type { Mode, SessionStore, Status } from '../state/session-store.ts';
import { Emitter } from './emitter.ts';
import { errorInfo, errorPolicy, WidgetError } from './kit.ts';
import { openLive, type Live, type OpenOptions, type PttAudio } from './live.ts';
import { seedEvents } from './seed.ts';
import type { SessionEvents } from './session-events.ts';
import { localItemId, type RealtimeSession } from './session.ts';
import { preparePeer, type PreparedPeer } from './webrtc.ts';

export interface ConnectionOptions {
  api: WorkerApi;
  store: SessionStore;
  /** Element the level meter watches for visibility. */
  host: Element;
  uid: () => string;
  model: () => string | undefined;
  voice: () => string | undefined;
  /** The visitor's language as ISO-639-1, when known: a hint for transcribing their speech. */
  language: () => string | undefined;
  /** Modes the site offers now (bootstrap modes with their flags on), in the widget's terms. */
  allowedModes: () => readonly Mode[];
  pttAudio: (onChunk: (base64: string) => void) => PttAudio | Promise<PttAudio>;
  onStatusReason?: (status: Status, reason: string) => void;
  /** Opens one live session; tests pass an opener over a scripted transport. */
  open?: (mode: Mode, options: OpenOptions) => Promise<Live>;
}

/** The live session's events that the conversation passes on, whichever session is live (reconnects included). */
export const FORWARDED_EVENTS = [
  'assistant-delta',
  'assistant-done',
  'reply-done',
  'barge-in',
  'function-call',
  'usage',
  'error',
] as const;

/** A prewarmed key is used only while it has at least this long to live. */
const KEY_MARGIN_S = 30;
const MAX_PREWARM_REFRESHES = 3;
export const MAX_RECONNECTS = 3;
const NEXT_MODE: Record<Mode, Mode | null> = { 'hands-free': 'push-to-talk', 'push-to-talk': 'text', text: null };

/**
 * Owns one conversation: microphone, key or ticket, transport, protocol session, audio and level meter. It falls
 * back to the next mode when one cannot connect, reconnects a dropped session with backoff, and releases all of it
 * in `disconnect()`.
 */
export class VoiceConnection {
  /** Reconnect backoff base; a page (or a test) may change it. */
  static backoffBaseMs = 500;
  /** Whether a hover also prepares the WebRTC offer (not only the ticket); the bench turns it off to compare. */
  static prewarmOffer = true;
  private readonly events = new Emitter<SessionEvents>();
  private readonly mic = new Microphone();
  private readonly audio: AudioOutput;
  private readonly meter: LevelMeter;
  private live: Live | null = null;
  private prewarmed: Promise<SessionResponse> | null = null;
  private preparedPeer: Promise<PreparedPeer | null> | null = null;
  private prewarmedAt = 0;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshes = 0;
  /** The model's voice is silenced while the avatar speaks for it; kept across reconnects and mode changes. */
  private outputMuted = false;
  private player: PttAudio['player'] | null = null;
  /** Bumped on every connect/disconnect, so work that was overtaken stops where it is. */
  private generation = 0;
  /** Messages typed while there was no live session: shown as pending, sent when one is back. */
  private outbox: Array<{ id: string; text: string; resolve: (sent: boolean) => void }> = [];

  constructor(private readonly opts: ConnectionOptions) {
    this.audio = new AudioOutput((blocked) => opts.store.$needsAudioUnlock.set(blocked));
    this.meter = new LevelMeter(opts.host, (level) => opts.store.$level.set(level));
  }

  /** The semantic events of whichever session is live: the avatar, the speaker and the keywords follow these. */
  on<K extends keyof SessionEvents>(type: K, listener: (payload: SessionEvents[K]) => void): () => void {
    return this.events.on(type, listener);
  }

  get active(): boolean {
    return this.live !== null;
  }

  get currentSession(): RealtimeSession | null {
    return this.live?.session ?? null;
  }

  get currentLive(): Live | null {
    return this.live;
  }

  private setStatus(status: Status, reason?: string) {
    if (reason) this.opts.onStatusReason?.(status, reason);
    this.opts.store.$status.set(status);
  }

  private requestWebRtc(): Promise<SessionResponse> {
    return this.opts.api.createSession({
      mode: 'webrtc',
      uid: this.opts.uid(),
      model: this.opts.model(),
      voice: this.opts.voice(),
      language: this.opts.language(),
    });
  }

  /**
   * Fetches the hands-free key ahead of the click (hover or focus on Start) and refreshes it before it expires, a
   * bounded number of times: each key counts as a voice session against the site's monthly limit.
   */
  prewarm(): void {
    if (this.active || this.opts.store.$mode.get() !== 'hands-free') return;
    if (VoiceConnection.prewarmOffer && !this.preparedPeer && typeof RTCPeerConnection !== 'undefined') {
      this.preparedPeer = preparePeer().catch(() => null);
    }
    if (this.prewarmed) return;
    const grant = this.requestWebRtc();
    this.prewarmed = grant;
    this.prewarmedAt = Date.now();
    grant.then(
      (g) => {
        if (g.mode !== 'webrtc' || this.prewarmed !== grant) return;
        const ms = (g.expiresAt - KEY_MARGIN_S) * 1000 - Date.now();
        clearTimeout(this.refreshTimer);
        this.refreshTimer = setTimeout(
          () => {
            if (this.prewarmed !== grant) return;
            this.prewarmed = null;
            if (this.refreshes++ < MAX_PREWARM_REFRESHES && document.visibilityState === 'visible') this.prewarm();
          },
          Math.max(1000, ms),
        );
      },
      () => {
        if (this.prewarmed === grant) this.prewarmed = null; // the click asks again and shows the error
      },
    );
  }

  get prewarmAgeMs(): number | null {
    return this.prewarmed ? Date.now() - this.prewarmedAt : null;
  }

  private async takeGrant(): Promise<SessionResponse> {
    const pending = this.prewarmed;
    this.prewarmed = null;
    clearTimeout(this.refreshTimer);
    if (pending) {
      try {
        const g = await pending;
        if (g.mode !== 'webrtc' || g.expiresAt - KEY_MARGIN_S > Date.now() / 1000) return g;
      } catch {
        /* fall through to a fresh request */
      }
    }
    return this.requestWebRtc();
  }

  /** The offer prepared on hover, once: a retry or a reconnect makes a fresh one. */
  private takePrepared(): Promise<PreparedPeer | null> {
    const prepared = this.preparedPeer ?? Promise.resolve(null);
    this.preparedPeer = null;
    return prepared;
  }

  private dropPrepared() {
    void this.takePrepared().then((p) => p?.close());
  }

  private async open(mode: Mode, gen: number): Promise<Live> {
    const { store } = this.opts;
    const live = await (this.opts.open ?? openLive)(mode, {
      api: this.opts.api,
      store,
      uid: this.opts.uid(),
      model: this.opts.model(),
      voice: this.opts.voice(),
      language: this.opts.language(),
      grant: mode === 'hands-free' ? () => this.takeGrant() : undefined,
      prepared: mode === 'hands-free' ? () => this.takePrepared() : undefined,
      mic: async () => {
        if (store.$micPermission.get() === 'prompt' && !this.mic.current) {
          store.note('note.micAsk');
        }
        const stream = await this.mic.open();
        this.mic.setMuted(store.$muted.get());
        return stream;
      },
      playRemote: (stream) => this.audio.play(stream),
      pttAudio: async () => {
        const audio = await this.opts.pttAudio((chunk) =>
          this.live?.session.send({ type: 'input_audio_buffer.append', audio: chunk }),
        );
        this.player = audio.player;
        audio.player.setMuted(this.outputMuted);
        return audio;
      },
      attach: (session) => {
        session.on('status', (s) => {
          if (gen === this.generation && this.live) this.setStatus(s);
        });
        session.on('error', ({ code, message, text }) => store.reportError(code, message, { text }));
        for (const type of FORWARDED_EVENTS) session.on(type, (payload) => this.events.emit(type, payload as never));
      },
      onClosed: (error) => {
        if (gen === this.generation) void this.recover(error);
      },
      onAudioBlocked: () => store.$needsAudioUnlock.set(true),
    });
    return live;
  }

  /** Starts in the current mode, stepping down the fallback chain while a mode cannot connect. */
  async connect(): Promise<void> {
    if (this.active) return;
    const gen = ++this.generation;
    this.opts.store.$error.set(null);
    this.opts.store.$fallback.set(null);
    this.setStatus('connecting');
    await this.connectFrom(this.opts.store.$mode.get(), gen, null);
  }

  private async connectFrom(
    start: Mode,
    gen: number,
    firstFailure: { mode: Mode; error: WidgetError } | null,
  ): Promise<void> {
    const { store } = this.opts;
    let mode: Mode | null = start;
    let origin = firstFailure;
    while (mode) {
      try {
        const live = await this.open(mode, gen);
        if (gen !== this.generation) return live.release();
        this.established(live);
        if (mode !== 'text' && this.mic.current) this.meter.start(this.mic.current);
        this.setStatus('listening');
        return;
      } catch (err) {
        if (gen !== this.generation) return;
        const error = err instanceof WidgetError ? err : WidgetError.of('connection_failed', { cause: err });
        const next = this.nextMode(mode, error);
        if (!next) {
          if (mode !== 'text') this.releaseMedia();
          return this.fail(error);
        }
        origin ??= { mode, error };
        // The host page hears about every failure, also the ones the widget works around.
        this.opts.store.reportError(error.code, error.message, error.options);
        store.$fallback.set({ from: origin.mode, reason: origin.error.code });
        store.note('note.stepDown', 'warning', { from: { key: `mode.${mode}` }, to: { key: `mode.${next}` } });
        this.setStatus('fallback', error.code);
        if (next === 'text') this.releaseMedia();
        store.$mode.set(next);
        mode = next;
        this.setStatus('connecting');
      }
    }
  }

  private nextMode(mode: Mode, error: WidgetError): Mode | null {
    if (!errorPolicy(error.code).fallback) return null;
    let next = NEXT_MODE[mode];
    while (next && !this.opts.allowedModes().includes(next)) next = NEXT_MODE[next];
    return next;
  }

  /** A live session dropped: reconnect the same mode with fresh credentials, then fall back. The transcript stays. */
  private async recover(error: WidgetError): Promise<void> {
    const gen = ++this.generation;
    const mode = this.live?.mode ?? this.opts.store.$mode.get();
    this.live?.release();
    this.live = null;
    if (!error.retryable || !errorPolicy(error.code).fallback) {
      this.releaseMedia();
      return this.fail(error);
    }
    for (let attempt = 1; attempt <= MAX_RECONNECTS; attempt++) {
      this.setStatus('reconnecting', `${error.code} (attempt ${attempt} of ${MAX_RECONNECTS})`);
      const base = VoiceConnection.backoffBaseMs * 2 ** (attempt - 1);
      await new Promise((r) => setTimeout(r, base / 2 + Math.random() * base));
      if (gen !== this.generation) return;
      this.setStatus('connecting');
      try {
        const live = await this.open(mode, gen);
        if (gen !== this.generation) return live.release();
        this.established(live);
        this.opts.store.note('note.reconnected');
        this.setStatus('listening');
        return;
      } catch (err) {
        if (gen !== this.generation) return;
        if (err instanceof WidgetError && !errorPolicy(err.code).fallback) {
          this.releaseMedia();
          return this.fail(err);
        }
      }
    }
    const next = this.nextMode(mode, error);
    if (!next) {
      this.releaseMedia();
      return this.fail(error);
    }
    this.opts.store.note('note.noReconnect', 'warning', { from: { key: `mode.${mode}` }, to: { key: `mode.${next}` } });
    this.opts.store.$fallback.set({ from: mode, reason: error.code });
    this.setStatus('fallback', error.code);
    if (next === 'text') this.releaseMedia();
    this.opts.store.$mode.set(next);
    this.setStatus('connecting');
    await this.connectFrom(next, gen, { mode, error });
  }

  private fail(error: WidgetError) {
    // Shown once, in the error box (role=alert) with its actions; not repeated in the transcript.
    this.opts.store.$error.set(errorInfo(error));
    this.dropPending();
    this.setStatus('error', error.code);
    this.opts.store.reportError(error.code, error.message, error.options);
  }

  /**
   * A new session picks the conversation up where it was (the brief and the recent turns), then sends what was
   * typed while there was none.
   */
  private established(live: Live) {
    this.live = live;
    for (const event of seedEvents(this.opts.store)) live.session.send(event);
    for (const m of this.outbox.splice(0)) {
      live.session.sendText(m.text, m.id);
      m.resolve(true);
    }
  }

  /**
   * Sends now, or keeps the message (shown as pending) until a session is back; resolves with whether it went out.
   * Starting a connection is the caller's choice.
   */
  sendText(text: string): Promise<boolean> {
    if (this.live) {
      this.live.session.sendText(text);
      return Promise.resolve(true);
    }
    const id = localItemId();
    this.opts.store.setText(id, 'user', text);
    this.opts.store.setDelivery(id, 'pending');
    return new Promise((resolve) => this.outbox.push({ id, text, resolve }));
  }

  /** A message marked "not sent" goes back in line; false when there is no such message. */
  resend(id: string): Promise<boolean> | false {
    const entry = this.opts.store.$transcript.get().find((e) => e.id === id && e.delivery === 'failed');
    if (!entry) return false;
    if (this.live) {
      this.live.session.sendText(entry.text, id);
      return Promise.resolve(true);
    }
    this.opts.store.setDelivery(id, 'pending');
    return new Promise((resolve) => this.outbox.push({ id, text: entry.text, resolve }));
  }

  /** No session is coming for what waits: each is marked "not sent", with a retry. */
  dropPending(): void {
    for (const m of this.outbox.splice(0)) {
      this.opts.store.setDelivery(m.id, 'failed');
      m.resolve(false);
    }
  }

  setMuted(muted: boolean): void {
    this.opts.store.$muted.set(muted);
    this.mic.setMuted(muted);
  }

  /** Silences (or restores) the model's own voice, in every mode: the avatar speaks instead. */
  setOutputMuted(muted: boolean): void {
    this.outputMuted = muted;
    this.audio.setMuted(muted);
    this.player?.setMuted(muted);
  }

  unlockAudio(): Promise<void> {
    return this.audio.unlock();
  }

  private releaseMedia() {
    this.meter.stop();
    this.audio.stop();
    this.mic.close();
    this.opts.store.$level.set(0);
  }

  disconnect(): void {
    this.generation++;
    this.dropPending();
    this.dropPrepared();
    this.live?.release();
    this.live = null;
    this.releaseMedia();
    this.opts.store.$error.set(null);
    this.setStatus('idle');
  }

  /** Everything, including a prewarmed key's refresh timer: for when the element leaves the page. */
  dispose(): void {
    this.disconnect();
    this.prewarmed = null;
    clearTimeout(this.refreshTimer);
  }
}
