import type {
  AvatarCloseResponse,
  AvatarCredentialsResponse,
  AvatarSessionRequest,
  AvatarSessionResponse,
} from '../../worker/api-types.ts';
import type { AssistantDelta, ReplyFollower } from '../realtime/session-events.ts';
import { browserBudgetReader, checkBudget, type BudgetReading } from './budget.ts';
import { describe, failure, fallbackMessage, within } from './failures.ts';
import type { AvatarRtc, AvatarRtcEvents, MediaKind, RemoteTrack, RemoteUser } from './rtc.ts';
import { AvatarSpeech, parseAvatarMessage, type Activity } from './speech.ts';
import { AvatarStateMachine, type AvatarState, type AvatarStateChange } from './state-machine.ts';
import { englishText, sayWith, type AvatarText, type Words } from './texts.ts';
import { AvatarView } from './view.ts';

export type AvatarQuality = 'high' | 'medium' | 'low';
export type AvatarQualitySetting = 'auto' | AvatarQuality;

/** The Worker's avatar routes: the widget's ApiClient. Failures arrive as objects with `code` and `message`. */
export interface AvatarApi {
  createAvatarSession(body: AvatarSessionRequest): Promise<AvatarSessionResponse>;
  closeAvatarSession(sessionId: string): Promise<AvatarCloseResponse | unknown>;
  /** Fresh Agora credentials (a new token) for the session: Akool's `session/detail`, through the Worker. */
  avatarCredentials(sessionId: string): Promise<AvatarCredentialsResponse>;
  /** The unload beacon's URL, key included (`sendBeacon` cannot send headers). */
  avatarCloseUrl(sessionId: string): string;
}

export interface AvatarEvents {
  started: Record<string, never>;
  /** The avatar ended without being asked to; the conversation goes on with the model's own voice. */
  fallback: { reason: string; message: string };
  'quality-changed': { quality: AvatarQuality };
  /** The avatar began to say a reply `ms` after its first text arrived. */
  sync: { ms: number };
  state: AvatarStateChange;
  error: { code: string; message: string };
}

export interface AvatarOptions {
  /** The element's `part="avatar"`: the video and its overlays are rendered here, and removed at the end. */
  container: HTMLElement;
  api: AvatarApi;
  uid: string;
  quality?: AvatarQualitySetting;
  /** Silences the model's own voice while the avatar speaks for it (true), or brings it back (false). */
  muteModel: (muted: boolean) => void;
  notice: (text: string, tone: 'info' | 'warning' | 'error') => void;
  /** Writes the overlay and the notices in the widget's language (`Locale.t` with the English); English by default. */
  text?: AvatarText;
  /** The widget's language: only an English one shows the Worker's own (English) words. */
  lang?: string;
  createRtc: () => AvatarRtc | Promise<AvatarRtc>;
  /**
   * The Worker said no for a reason another attempt would not change (the contract's policy, widget/contract/errors.ts,
   * passed in by the main bundle: this chunk shares no module with it).
   */
  refused: (code: string) => boolean;
  // Tuning: the defaults are the product's; tests shorten them.
  maxAttempts?: number;
  backoffMs?: readonly number[];
  /** From the moment the session exists: the SDK (downloading since the request) and the join must be done. */
  joinTimeoutMs?: number;
  /** After the join, how long the avatar may take to publish its audio; default: the Worker's `readyTimeoutMs`. */
  publishTimeoutMs?: number;
  /** How long a sentence sent to a quiet avatar may wait for its `audio_start`. */
  speechStartTimeoutMs?: number;
  /** Waits between attempts to renew the Agora token (inside the 30 s Agora gives). */
  renewBackoffMs?: readonly number[];
  leaveTimeoutMs?: number;
  checkIntervalMs?: number;
  /** Invalid state transitions throw (tests) instead of being logged. */
  strict?: boolean;
  readBudget?: () => BudgetReading;
}

export interface AvatarHandle extends ReplyFollower {
  readonly state: AvatarState;
  readonly quality: AvatarQuality;
  setQuality(quality: AvatarQualitySetting): void;
  /** Releases everything: listeners, tracks, the Agora channel, then the session at the Worker. */
  stop(): Promise<void>;
  /** The page is going away: the session is closed by beacon (a request the page waits for might never go). */
  pageHide(): void;
  /** The visitor spoke, pressed to talk or typed: the avatar stops mid-sentence and its queue empties. */
  onBargeIn(): void;
  on<K extends keyof AvatarEvents>(type: K, listener: (payload: AvatarEvents[K]) => void): () => void;
}

const LOWER: Record<AvatarQuality, AvatarQuality | null> = { high: 'medium', medium: 'low', low: null };

/**
 * The SDK chunk's download and `join()` together, from the moment the session exists. `npm run bench -- avatar`
 * measures it with the real chunk (328 KB gzip) over Chromium's network emulation and the fake Agora's join at
 * 10 round trips: about 2.5 s at the budget's floor (2 Mbit/s, 150 ms RTT), 1.7 s on "Fast 4G", on a desktop CPU.
 * The former 2.5 s would fail half the joins at the floor; a phone parses the SDK a few times slower.
 */
export const JOIN_BUDGET_MS = 6000;
/** When the Worker does not say (older Worker): how long the avatar may take to appear after the join. */
const DEFAULT_READY_TIMEOUT_MS = 15_000;
const LIVE = new Set<AvatarState>(['ready', 'thinking', 'speaking', 'degraded']);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One avatar session from start to release: budget check, session at the Worker (with retries), Agora join, the
 * transcript spoken through stream messages, quality and health checks, and a teardown that never leaves a session
 * open. Whatever fails ends in `off` with a notice and the model's voice back; the conversation is never touched.
 */
export class AvatarController implements AvatarHandle {
  private readonly machine: AvatarStateMachine;
  private readonly say: (words: Words) => string;
  private readonly view: AvatarView;
  private readonly readBudget: () => BudgetReading;
  private readonly listeners = new Map<keyof AvatarEvents, Set<(payload: never) => void>>();
  private rtc: AvatarRtc | null = null;
  private rtcOffs: Array<() => void> = [];
  private session: AvatarSessionResponse | null = null;
  private speech: AvatarSpeech | null = null;
  private avatar: RemoteUser | null = null;
  private readonly tracks = new Map<MediaKind, RemoteTrack>();
  private audioArrived: (() => void) | null = null;
  private current: AvatarQuality;
  private activity: Activity = 'ready';
  /** Why the avatar is degraded now ('network', 'reconnecting'), or null. */
  private weak: string | null = null;
  private poorReports = 0;
  private startHeapMb: number | undefined;
  private interval: ReturnType<typeof setInterval> | undefined;
  private errorText = '';
  private renewing = false;
  private ended = false;
  private ending: Promise<void> | null = null;

  constructor(private readonly o: AvatarOptions) {
    this.machine = new AvatarStateMachine({ strict: o.strict ?? false });
    this.say = sayWith(o.text ?? englishText);
    this.view = new AvatarView(o.container, this.say);
    this.readBudget = o.readBudget ?? browserBudgetReader(() => this.view.video);
    const quality = o.quality ?? 'auto';
    this.current = quality === 'auto' ? 'high' : quality;
    this.machine.subscribe((change) => {
      const reconnecting = change.reason === 'reconnecting' ? this.say({ key: 'avatar.reconnecting' }) : undefined;
      const text = change.to === 'error' ? this.errorText : reconnecting;
      this.view.show(change.to, text);
      this.emit('state', change);
    });
    this.run().catch((error: unknown) => {
      void this.fail('avatar_failed', '');
      // A bug (an invalid transition in strict mode) must fail the test that caused it, not vanish.
      if (o.strict) {
        queueMicrotask(() => {
          throw error;
        });
      } else console.error('avatar:', error);
    });
  }

  get state(): AvatarState {
    return this.machine.state;
  }

  get quality(): AvatarQuality {
    return this.current;
  }

  on<K extends keyof AvatarEvents>(type: K, listener: (payload: AvatarEvents[K]) => void): () => void {
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  private emit<K extends keyof AvatarEvents>(type: K, payload: AvatarEvents[K]): void {
    for (const listener of [...(this.listeners.get(type) ?? [])]) (listener as (p: AvatarEvents[K]) => void)(payload);
  }

  // --- start ------------------------------------------------------------------------------------------------------

  private async run(): Promise<void> {
    await Promise.resolve(); // the caller subscribes to events first
    if (this.ended) return;
    this.machine.transition('checking');
    const verdict = checkBudget(this.readBudget());
    if (!verdict.ok) return this.fail('performance_budget', verdict.words);
    // The SDK chunk downloads while the Worker creates the session (which can take seconds at Akool).
    const rtcReady = Promise.resolve().then(this.o.createRtc);
    rtcReady.catch(() => {});
    const session = await this.createSession();
    if (!session) return;
    this.session = session;
    this.machine.transition('connecting');
    window.addEventListener('pagehide', this.onPageHide);
    const audio = new Promise<void>((resolve) => (this.audioArrived = resolve));
    const joined = rtcReady.then(
      (rtc) => {
        if (this.ended) throw failure('avatar_stopped');
        this.rtc = rtc;
        this.listen(rtc);
        const { appId, channel, token, uid } = session.agora;
        return rtc.join(appId, channel, token, uid);
      },
      (error: unknown) => {
        throw failure('avatar_sdk_failed', error);
      },
    );
    try {
      // One deadline for the SDK and the join, not retried: the SDK retries its own gateway requests, and a join
      // that fails here (no route to Agora, a firewall, a connection too slow to fetch the SDK) fails again.
      await within(joined, this.o.joinTimeoutMs ?? JOIN_BUDGET_MS, 'avatar_join_timeout');
      if (this.ended) return;
      // Akool may start the avatar only now that we are in the channel: its bounded wait starts here.
      await within(
        audio,
        this.o.publishTimeoutMs ?? session.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS,
        'avatar_not_published',
      );
    } catch (error) {
      if (this.ended) return;
      const { code } = describe(error, 'avatar_join_failed');
      if (!code.startsWith('avatar_') || code === 'avatar_sdk_failed') console.warn('avatar: could not join', error);
      return this.fail(code.startsWith('avatar_') ? code : 'avatar_join_failed', '');
    }
    if (!this.ended) this.goLive();
  }

  /** At most `maxAttempts` (3), waiting 1 s then 2 s between them; a refusal stops at once. */
  private async createSession(): Promise<AvatarSessionResponse | null> {
    const attempts = this.o.maxAttempts ?? 3;
    const backoff = this.o.backoffMs ?? [1000, 2000, 3000];
    for (let attempt = 1; ; attempt++) {
      try {
        const session = await this.o.api.createAvatarSession({ quality: this.current, uid: this.o.uid });
        if (!this.ended) return session;
        void this.closeSession(session.sessionId); // turned off while it was being created
        return null;
      } catch (error) {
        if (this.ended) return null;
        const { code, message } = describe(error, 'avatar_session_failed');
        if (this.o.refused(code) || attempt >= attempts) {
          void this.fail(code, message);
          return null;
        }
        await sleep(backoff[Math.min(attempt, backoff.length) - 1] ?? 0);
        if (this.ended) return null;
      }
    }
  }

  private listen(rtc: AvatarRtc): void {
    const on = <K extends keyof AvatarRtcEvents>(event: K, listener: AvatarRtcEvents[K]) => {
      rtc.on(event, listener);
      this.rtcOffs.push(() => rtc.off(event, listener));
    };
    on('user-published', this.onPublished);
    on('user-left', this.onUserLeft);
    on('connection-state-change', this.onConnectionState);
    on('network-quality', this.onNetworkQuality);
    on('exception', this.onException);
    on('token-privilege-will-expire', this.onTokenWillExpire);
    on('token-privilege-did-expire', this.onTokenExpired);
    on('stream-message', this.onStreamMessage);
  }

  private goLive(): void {
    this.machine.transition('ready');
    this.startHeapMb = this.readBudget().heapMb;
    this.speech = new AvatarSpeech(
      (bytes) => this.rtc?.sendStreamMessage(bytes, false),
      {
        activity: (activity) => {
          this.activity = activity;
          this.syncState();
        },
        // The model's voice comes back at once; the video goes, since a mute face helps nobody.
        cannotSpeak: (reason) => void this.fail(reason, '', true),
        synced: (ms) => this.emit('sync', { ms }),
      },
      this.o.speechStartTimeoutMs,
    );
    this.o.muteModel(true);
    this.applyQuality();
    this.interval = setInterval(() => this.check(), this.o.checkIntervalMs ?? 10_000);
    this.emit('started', {});
  }

  // --- the conversation: before the avatar is live, the model's own voice speaks ----------------------------------

  onBargeIn(): void {
    this.speech?.onBargeIn();
  }

  /** The assistant's reply is what the avatar says. */
  onAssistantDelta(delta: AssistantDelta): void {
    this.speech?.onAssistantDelta(delta);
  }

  onReplyDone(responseId: string | null): void {
    this.speech?.onReplyDone(responseId);
  }

  /** The state shows the worse of what the avatar does and how its connection is. */
  private syncState(): void {
    if (this.ended || !LIVE.has(this.machine.state)) return;
    const target = this.weak ? 'degraded' : this.activity;
    if (target !== this.machine.state) this.machine.transition(target, this.weak ?? undefined);
  }

  private setWeak(reason: string | null): void {
    if (reason === this.weak) return;
    this.weak = reason;
    if (reason && this.machine.state === 'degraded') this.machine.transition('degraded', reason);
    else this.syncState();
  }

  // --- quality and health -------------------------------------------------------------------------------------------

  setQuality(quality: AvatarQualitySetting): void {
    const next = quality === 'auto' ? 'high' : quality;
    if (next === this.current) return;
    this.current = next;
    this.applyQuality();
    this.emit('quality-changed', { quality: next });
  }

  /**
   * Akool decides what the avatar publishes; a subscriber can only ask for Agora's low stream (there when the
   * publisher sends dual streams, else the SDK keeps the high one) or drop the video. Medium and low both ask for
   * the low stream; below low is audio only.
   */
  private applyQuality(): void {
    const rtc = this.rtc;
    const user = this.avatar;
    if (!rtc || !user || !this.speech) return;
    rtc
      .setRemoteVideoStreamType(user.uid, this.current === 'high' ? 0 : 1)
      .catch((error: unknown) => console.warn('avatar: stream type', error));
  }

  /** Every `checkIntervalMs` (10 s) while live: over budget or a weak network lowers the quality one step. */
  private check(): void {
    if (!this.speech || this.ended) return;
    const verdict = checkBudget(this.readBudget(), this.startHeapMb);
    const weakNetwork = this.poorReports >= 3;
    if (verdict.ok && !weakNetwork) return;
    this.poorReports = 0;
    const reason = weakNetwork ? 'network_quality' : 'performance_budget';
    const why: Words = weakNetwork || verdict.ok ? { key: 'avatar.weak' } : verdict.words;
    const next = LOWER[this.current];
    if (!next) {
      void this.fail(reason, why, true);
      return;
    }
    this.current = next;
    this.applyQuality();
    const lower = this.say({ key: next === 'low' ? 'avatar.toLow' : 'avatar.toMedium' });
    this.o.notice(`${this.say(why)} ${lower}`, 'warning');
    this.emit('quality-changed', { quality: next });
  }

  /** Poor is 4 or worse (0 is unknown); it takes 3 reports in a row (6 s), and one better report resets it. */
  private readonly onNetworkQuality: AvatarRtcEvents['network-quality'] = ({ downlinkNetworkQuality: q }) => {
    if (q === 0) return;
    if (q >= 4) {
      if (++this.poorReports >= 3 && !this.weak) this.setWeak('network');
    } else {
      this.poorReports = 0;
      if (this.weak === 'network') this.setWeak(null);
    }
  };

  // --- Agora's events ------------------------------------------------------------------------------------------------

  private readonly onPublished: AvatarRtcEvents['user-published'] = (user, mediaType) => {
    if (mediaType === 'datachannel' || (this.avatar && this.avatar.uid !== user.uid)) return;
    this.avatar = user;
    void this.subscribe(user, mediaType);
  };

  private async subscribe(user: RemoteUser, kind: MediaKind): Promise<void> {
    const rtc = this.rtc;
    if (!rtc) return;
    // After an await, a released controller (or a new client) owns nothing here: leave() ends the track.
    const keep = (track: RemoteTrack) => {
      if (this.ended || this.rtc !== rtc) return false;
      this.tracks.get(kind)?.stop();
      this.tracks.set(kind, track);
      return true;
    };
    try {
      if (kind === 'video') {
        const track = await rtc.subscribe(user, 'video');
        if (!keep(track)) return;
        track.play(this.view.videoSlot);
        this.applyQuality();
      } else {
        const track = await rtc.subscribe(user, 'audio');
        if (!keep(track)) return;
        track.play();
        this.audioArrived?.();
      }
    } catch (error) {
      console.warn(`avatar: could not subscribe to ${kind}`, error);
      // Without its voice the avatar is of no use; without its video it still speaks.
      if (kind === 'audio' && !this.ended) void this.fail('avatar_not_published', '');
    }
  }

  private readonly onUserLeft: AvatarRtcEvents['user-left'] = (user) => {
    if (user.uid === this.avatar?.uid) void this.fail('avatar_left', '');
  };

  private readonly onConnectionState: AvatarRtcEvents['connection-state-change'] = (current, _previous, reason) => {
    if (!this.speech) return; // before live, the join's own result decides
    if (current === 'RECONNECTING') this.setWeak('reconnecting');
    else if (current === 'CONNECTED' && this.weak === 'reconnecting') this.setWeak(null);
    else if (current === 'DISCONNECTED' && reason === 'TOKEN_EXPIRE') void this.fail('avatar_token_expired', '');
    else if (current === 'DISCONNECTED' && reason !== 'LEAVE') void this.fail('avatar_connection_lost', '');
  };

  private readonly onException: AvatarRtcEvents['exception'] = (event) =>
    console.warn(`avatar: Agora ${event.code} ${event.msg}`);
  /** Akool's events and acknowledgements: they say when the avatar speaks (and when it cannot). */
  private readonly onStreamMessage: AvatarRtcEvents['stream-message'] = (uid, payload) => {
    if (uid !== this.avatar?.uid) return;
    const message = parseAvatarMessage(payload);
    if (message) this.speech?.onAvatarMessage(message);
  };

  /**
   * Agora's token lives about 5 minutes, the session up to an hour: 30 s before it expires, fresh credentials come
   * from Akool (`session/detail`, through the Worker) and go to `renewToken`. A few tries fit in those 30 s; a
   * session Akool has ended cannot be renewed and ends here.
   */
  private readonly onTokenWillExpire = () => void this.renew();
  private readonly onTokenExpired = () => void this.fail('avatar_token_expired', '');

  private async renew(): Promise<void> {
    const rtc = this.rtc;
    const session = this.session;
    if (!rtc || !session || this.renewing) return;
    this.renewing = true;
    const backoff = this.o.renewBackoffMs ?? [2000, 5000];
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          const fresh = await this.o.api.avatarCredentials(session.sessionId);
          if (this.ended || this.rtc !== rtc) return;
          await rtc.renewToken(fresh.agora.token);
          return;
        } catch (error) {
          if (this.ended || this.rtc !== rtc) return;
          const { code } = describe(error, 'avatar_renew_failed');
          if (code === 'avatar_session_gone' || code === 'not_found') return void this.fail('avatar_left', '');
          console.warn(`avatar: could not renew the Agora token (attempt ${attempt + 1})`, error);
          if (attempt >= backoff.length) return; // token-privilege-did-expire ends it
          await sleep(backoff[attempt]!);
        }
      }
    } finally {
      this.renewing = false;
    }
  }

  // --- the end -------------------------------------------------------------------------------------------------------

  stop(): Promise<void> {
    if (this.ended) return this.ending ?? Promise.resolve();
    this.ended = true;
    this.o.muteModel(false);
    if (this.machine.state === 'checking') this.machine.transition('off', 'stopped');
    return (this.ending = this.release());
  }

  private fail(code: string, detail: string | Words, audioOnly = false): Promise<void> {
    if (this.ended) return this.ending ?? Promise.resolve();
    this.ended = true;
    // First, before anything slow: the model's voice is back within the sentence.
    this.o.muteModel(false);
    if (audioOnly && this.rtc && this.avatar) this.rtc.unsubscribe(this.avatar, 'video').catch(() => {});
    // The visitor reads their language, and so does the page's `voice-buddy-error` (its `message` is the visitor's
    // words, as for every other error); the code says what happened in any language.
    const shown = fallbackMessage(code, detail, this.say, (this.o.lang ?? 'en') === 'en');
    this.errorText = shown;
    const refused = this.machine.state === 'checking' && (this.o.refused(code) || code === 'performance_budget');
    if (this.machine.state !== 'off') this.machine.transition(refused ? 'off' : 'error', code);
    this.o.notice(shown, 'warning');
    this.emit('error', { code, message: shown });
    this.emit('fallback', { reason: code, message: shown });
    return (this.ending = this.release());
  }

  /** The page is going away: the beacon closes the session even if the DELETE below never gets out. */
  pageHide(): void {
    this.onPageHide();
  }

  private readonly onPageHide = () => {
    const session = this.session;
    this.session = null;
    if (session) navigator.sendBeacon(this.o.api.avatarCloseUrl(session.sessionId));
    void this.stop();
  };

  /** In order: listeners, queue, tracks, leave(), then the Worker's DELETE. Never throws. */
  private async release(): Promise<void> {
    clearInterval(this.interval);
    window.removeEventListener('pagehide', this.onPageHide);
    for (const off of this.rtcOffs.splice(0)) off();
    this.speech?.dispose();
    this.speech = null;
    this.audioArrived = null;
    for (const track of this.tracks.values()) track.stop();
    this.tracks.clear();
    const rtc = this.rtc;
    this.rtc = null;
    if (rtc)
      await within(rtc.leave(), this.o.leaveTimeoutMs ?? 3000, 'avatar_leave_timeout').catch((error: unknown) =>
        console.warn('avatar: leave', error),
      );
    const session = this.session;
    this.session = null;
    if (session) await this.closeSession(session.sessionId);
    this.view.destroy();
    const state = this.machine.state;
    if (state === 'error' && !session) this.machine.transition('off');
    else if (state !== 'off') {
      if (state !== 'closed') this.machine.transition('closed');
      this.machine.transition('off');
    }
  }

  private async closeSession(sessionId: string): Promise<void> {
    try {
      await this.o.api.closeAvatarSession(sessionId);
    } catch {
      // The Worker's cron closes what is left open; the beacon is a cheaper second try.
      navigator.sendBeacon(this.o.api.avatarCloseUrl(sessionId));
    }
  }
}
