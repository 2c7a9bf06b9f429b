import type { AkoolChatMessage, AkoolCommandMessage } from '../../../widget/avatar/message-queue.ts';
import type {
  AvatarRtc,
  AvatarRtcEvents,
  ConnectionState,
  MediaKind,
  RemoteAudioTrack,
  RemoteStreamType,
  RemoteUser,
  RemoteVideoTrack,
  UID,
} from '../../../widget/avatar/rtc.ts';

type Listener = (...args: never[]) => void;

/** An Agora error as the SDK throws it: `code` is one of its AgoraRTCErrorCode names. */
const agoraError = (code: string, message: string) =>
  Object.assign(new Error(`AgoraRTCError ${code}: ${message}`), { name: 'AgoraRTCException', code });

/**
 * The Agora tokens Akool mints (in these tests, the fake Worker does), each for one channel and uid, valid for a
 * while: Akool documents about 5 minutes. Shared by the fake Worker, which issues them, and the fake client,
 * which refuses what the real gateway refuses.
 */
export const FakeAgoraTokens = {
  tokens: new Map<string, { channel: string; uid: UID; expiresAt: number }>(),
  issued: 0,
  issue(channel: string, uid: UID, ttlMs: number): string {
    const token = `007eJxFAKE${++this.issued}_${Math.random().toString(36).slice(2, 10)}`;
    this.tokens.set(token, { channel, uid, expiresAt: Date.now() + ttlMs });
    return token;
  },
  /** Why the gateway would refuse it, or null. */
  problem(token: string | null, channel: string, uid: UID | null | undefined): string | null {
    const t = token ? this.tokens.get(token) : undefined;
    if (!t) return 'invalid token, authorized failed';
    if (t.channel !== channel || (uid !== null && uid !== undefined && t.uid !== uid))
      return 'invalid token, channel or uid mismatch';
    if (t.expiresAt <= Date.now()) return 'dynamic key expired';
    return null;
  },
  expiresAt(token: string): number {
    return this.tokens.get(token)?.expiresAt ?? 0;
  },
};

/** Akool's avatar as Agora shows it: a remote user with audio and video. */
export class FakeRemoteUser implements RemoteUser {
  hasAudio = true;
  hasVideo = true;
  constructor(readonly uid: UID) {}
}

/**
 * A remote video track backed by a real MediaStreamTrack (a canvas stream), so leak checks can see whether it
 * ended. As in the SDK, `stop()` only stops playback (removes the player); `leave()` ends the track.
 */
class FakeVideoTrack implements RemoteVideoTrack {
  readonly mediaStreamTrack: MediaStreamTrack;
  private player: HTMLVideoElement | null = null;
  constructor() {
    const canvas = document.createElement('canvas');
    canvas.width = 64;
    canvas.height = 48;
    canvas.getContext('2d')!.fillRect(0, 0, 64, 48);
    this.mediaStreamTrack = canvas.captureStream(5).getVideoTracks()[0]!;
  }
  play(element: HTMLElement): void {
    const video = (this.player = document.createElement('video'));
    video.muted = video.autoplay = video.playsInline = true;
    video.srcObject = new MediaStream([this.mediaStreamTrack]);
    const box = document.createElement('div'); // the SDK's player wraps its <video> in a div
    box.append(video);
    element.append(box);
  }
  stop(): void {
    if (this.player) this.player.srcObject = null;
    this.player?.parentElement?.remove();
    this.player = null;
  }
}

class FakeAudioTrack implements RemoteAudioTrack {
  playing = false;
  play(): void {
    this.playing = true;
  }
  stop(): void {
    this.playing = false;
  }
}

/** How Akool's avatar behaves in the channel; tests change the defaults or one instance's copy before it joins. */
export interface FakeAvatarBehaviour {
  /**
   * `on-join`: Akool starts the avatar once a viewer is in the channel, `startMs` after the join (the stricter
   * reading of its docs); `on-own`: the avatar is already there and is announced right after the join.
   */
  start: 'on-join' | 'on-own';
  startMs: number;
  /** Whether the avatar ever publishes. */
  publishes: boolean;
  /** From a sentence's last chunk to `audio_start`; then speaking lasts `msPerChar` per character. */
  speechDelayMs: number;
  msPerChar: number;
  /** Never sends `audio_start` (the avatar cannot speak). */
  silent: boolean;
  /** The `code` of command acknowledgements (1000 = ok). */
  ackCode: number;
}

/** Agora's data stream limits: at most 1 KB a message, and (per user) 30 messages and 6 KB in any second. */
export const STREAM_LIMITS = { maxBytes: 1024, perSecondBytes: 6 * 1024, perSecondMessages: 30 };

/**
 * The Agora client as the avatar controller sees it (AvatarRtc), with the real SDK's event names, argument lists
 * and refusals: a join takes gateway round trips (`joinLatencyMs`) and needs a valid token for its channel and uid;
 * the token expires (`token-privilege-will-expire` 30 s before, then the client is thrown out and
 * `token-privilege-did-expire`) unless `renewToken` gets a fresh one; stream messages over 1 KB throw, and bursts
 * over the rate are refused. Akool's avatar joins the channel, speaks the chat messages it is sent (`audio_start`,
 * `audio_end`) and acknowledges commands.
 */
export class FakeAgoraRtc implements AvatarRtc {
  static readonly instances: FakeAgoraRtc[] = [];
  static defaults = FakeAgoraRtc.initialDefaults();
  static avatarDefaults = FakeAgoraRtc.initialAvatarDefaults();
  /** Tests and benches change the defaults in place, so each reset hands out fresh objects. */
  static reset(): void {
    FakeAgoraRtc.instances.length = 0;
    FakeAgoraRtc.defaults = FakeAgoraRtc.initialDefaults();
    FakeAgoraRtc.avatarDefaults = FakeAgoraRtc.initialAvatarDefaults();
  }
  private static initialDefaults(): { joinLatencyMs: number; tokenWarnBeforeMs: number } {
    return { joinLatencyMs: 150, tokenWarnBeforeMs: 30_000 };
  }
  private static initialAvatarDefaults(): FakeAvatarBehaviour {
    return {
      start: 'on-join',
      startMs: 200,
      publishes: true,
      speechDelayMs: 100,
      msPerChar: 5,
      silent: false,
      ackCode: 1000,
    };
  }

  connectionState: ConnectionState = 'DISCONNECTED';
  /** 'ok', 'hang' (never answers; leave() aborts it) or an error to reject with. */
  joinBehaviour: 'ok' | 'hang' | Error = 'ok';
  joinLatencyMs = FakeAgoraRtc.defaults.joinLatencyMs;
  tokenWarnBeforeMs = FakeAgoraRtc.defaults.tokenWarnBeforeMs;
  readonly behaviour: FakeAvatarBehaviour = { ...FakeAgoraRtc.avatarDefaults };
  readonly avatar = new FakeRemoteUser(4242);
  readonly joins: Array<{ appId: string; channel: string; token: string | null; uid: UID | null | undefined }> = [];
  readonly renewals: string[] = [];
  readonly messages: Uint8Array[] = [];
  /** Stream messages the fake gateway refused, and why. */
  readonly refused: Array<{ bytes: number; reason: string }> = [];
  /** What the avatar sent back, decoded. */
  readonly received: unknown[] = [];
  readonly streamTypes: RemoteStreamType[] = [];
  readonly unsubscribed: Array<MediaKind | undefined> = [];
  readonly videoTracks: FakeVideoTrack[] = [];
  readonly audioTracks: FakeAudioTrack[] = [];
  leaves = 0;
  expired = 0;
  private readonly listeners = new Map<string, Set<Listener>>();
  private abortJoin: ((error: Error) => void) | null = null;
  private channel = '';
  private uid: UID | null | undefined = null;
  private token: string | null = null;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private tokenTimers: Array<ReturnType<typeof setTimeout>> = [];
  private readonly sendLog: Array<{ at: number; bytes: number }> = [];
  private published = false;
  private speakingUntil = 0;
  private speakingTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    FakeAgoraRtc.instances.push(this);
  }

  get joined(): boolean {
    return this.connectionState === 'CONNECTED' || this.connectionState === 'RECONNECTING';
  }

  /** The stream messages sent to the avatar, decoded. */
  get sent(): Array<AkoolChatMessage | AkoolCommandMessage> {
    return this.messages.map((m) => JSON.parse(new TextDecoder().decode(m)) as AkoolChatMessage | AkoolCommandMessage);
  }

  listenerCount(): number {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }

  on<K extends keyof AvatarRtcEvents>(event: K, listener: AvatarRtcEvents[K]): void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
  }

  off<K extends keyof AvatarRtcEvents>(event: K, listener: AvatarRtcEvents[K]): void {
    this.listeners.get(event)?.delete(listener);
  }

  emit<K extends keyof AvatarRtcEvents>(event: K, ...args: Parameters<AvatarRtcEvents[K]>): void {
    for (const listener of [...(this.listeners.get(event) ?? [])])
      (listener as (...a: Parameters<AvatarRtcEvents[K]>) => void)(...args);
  }

  /** The avatar sends a v2 message to us, as Akool's does over the data stream. */
  avatarSays(message: Record<string, unknown>): void {
    this.received.push(message);
    this.emit('stream-message', this.avatar.uid, new TextEncoder().encode(JSON.stringify({ v: 2, ...message })));
  }

  private later(fn: () => void, ms: number): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
    return timer;
  }

  private setState(next: ConnectionState, reason?: string): void {
    const previous = this.connectionState;
    this.connectionState = next;
    this.emit('connection-state-change', next, previous, reason);
  }

  async join(appId: string, channel: string, token: string | null, uid?: UID | null): Promise<UID> {
    this.joins.push({ appId, channel, token, uid });
    if (this.connectionState !== 'DISCONNECTED')
      throw agoraError('INVALID_OPERATION', `[client] Client already in connecting/connected state`);
    this.setState('CONNECTING');
    const behaviour = this.joinBehaviour;
    if (behaviour === 'hang') {
      await new Promise<never>((_, reject) => (this.abortJoin = reject));
    }
    // The gateway round trips; leave() during them aborts the join, as in the SDK.
    await new Promise<void>((resolve, reject) => {
      this.abortJoin = reject;
      this.later(resolve, this.joinLatencyMs);
    });
    this.abortJoin = null;
    if (behaviour instanceof Error) {
      this.setState('DISCONNECTED', 'NETWORK_ERROR');
      throw behaviour;
    }
    const problem = FakeAgoraTokens.problem(token, channel, uid);
    if (problem) {
      this.setState('DISCONNECTED', 'NETWORK_ERROR');
      throw agoraError(
        'CAN_NOT_GET_GATEWAY_SERVER',
        `flag: 4096, message: AgoraRTCError CAN_NOT_GET_GATEWAY_SERVER: ${problem}`,
      );
    }
    this.channel = channel;
    this.uid = uid;
    this.armToken(token!);
    this.setState('CONNECTED');
    if (this.behaviour.publishes) {
      // Already in the channel: announced right after the join. Started for us: once Akool brought it up.
      this.later(() => this.publish(), this.behaviour.start === 'on-own' ? 0 : this.behaviour.startMs);
    }
    return uid ?? 1;
  }

  private publish(): void {
    if (!this.joined) return;
    this.published = true;
    this.emit('user-published', this.avatar, 'audio');
    this.emit('user-published', this.avatar, 'video');
  }

  private armToken(token: string): void {
    for (const t of this.tokenTimers) clearTimeout(t);
    this.token = token;
    const left = FakeAgoraTokens.expiresAt(token) - Date.now();
    this.tokenTimers = [
      setTimeout(
        () => this.joined && this.emit('token-privilege-will-expire'),
        Math.max(0, left - this.tokenWarnBeforeMs),
      ),
      setTimeout(() => this.expire(), Math.max(0, left)),
    ];
  }

  /** As the SDK does: out of the channel first (reason TOKEN_EXPIRE), then `token-privilege-did-expire`. */
  private expire(): void {
    if (!this.joined) return;
    this.expired++;
    this.stopAll();
    this.setState('DISCONNECTED', 'TOKEN_EXPIRE');
    this.emit('token-privilege-did-expire');
  }

  async renewToken(token: string): Promise<void> {
    if (!this.joined) throw agoraError('INVALID_OPERATION', 'renewToken: not in a channel');
    const problem = FakeAgoraTokens.problem(token, this.channel, this.uid);
    if (problem) throw agoraError('INVALID_PARAMS', `renewToken: ${problem}`);
    this.renewals.push(token);
    this.armToken(token);
  }

  /** Seconds the current token has left (tests). */
  get tokenLeftMs(): number {
    return this.token ? FakeAgoraTokens.expiresAt(this.token) - Date.now() : 0;
  }

  private stopAll(): void {
    for (const t of this.tokenTimers) clearTimeout(t);
    this.tokenTimers = [];
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    clearTimeout(this.speakingTimer);
    this.published = false;
    for (const t of this.videoTracks) t.mediaStreamTrack.stop();
  }

  async leave(): Promise<void> {
    this.leaves++;
    this.abortJoin?.(agoraError('OPERATION_ABORTED', 'cancel token canceled: leave() during join'));
    this.abortJoin = null;
    this.stopAll();
    if (this.connectionState !== 'DISCONNECTED') this.setState('DISCONNECTED', 'LEAVE');
  }

  subscribe(user: RemoteUser, mediaType: 'video'): Promise<RemoteVideoTrack>;
  subscribe(user: RemoteUser, mediaType: 'audio'): Promise<RemoteAudioTrack>;
  async subscribe(user: RemoteUser, mediaType: MediaKind): Promise<RemoteVideoTrack | RemoteAudioTrack> {
    if (!this.joined) throw agoraError('INVALID_OPERATION', 'subscribe before join');
    if (user.uid !== this.avatar.uid || !this.published)
      throw agoraError('INVALID_REMOTE_USER', 'user is not in the channel');
    if (mediaType === 'video') {
      const track = new FakeVideoTrack();
      this.videoTracks.push(track);
      return track;
    }
    const track = new FakeAudioTrack();
    this.audioTracks.push(track);
    return track;
  }

  async unsubscribe(_user: RemoteUser, mediaType?: MediaKind): Promise<void> {
    this.unsubscribed.push(mediaType);
    if (mediaType !== 'audio') for (const t of this.videoTracks) t.mediaStreamTrack.stop();
  }

  async setRemoteVideoStreamType(_uid: UID, streamType: RemoteStreamType): Promise<void> {
    this.streamTypes.push(streamType);
  }

  async sendStreamMessage(message: Uint8Array): Promise<void> {
    if (!this.joined) throw agoraError('INVALID_OPERATION', 'can not send data stream, not joined');
    // The SDK itself throws above 1 KB; the gateway refuses what goes over the per-second limits.
    if (message.byteLength > STREAM_LIMITS.maxBytes) throw agoraError('INVALID_PARAMS', 'stream message out of range.');
    const now = performance.now();
    while (this.sendLog.length && this.sendLog[0]!.at <= now - 1000) this.sendLog.shift();
    const bytes = this.sendLog.reduce((n, e) => n + e.bytes, 0) + message.byteLength;
    if (bytes > STREAM_LIMITS.perSecondBytes || this.sendLog.length + 1 > STREAM_LIMITS.perSecondMessages) {
      const reason =
        bytes > STREAM_LIMITS.perSecondBytes
          ? `${bytes} bytes in one second`
          : `${this.sendLog.length + 1} messages in one second`;
      this.refused.push({ bytes: message.byteLength, reason });
      throw agoraError('DATA_STREAM_RATE_LIMITED', `send data stream too frequently (${reason})`);
    }
    this.sendLog.push({ at: now, bytes: message.byteLength });
    this.messages.push(message);
    if (this.published)
      this.avatarHears(JSON.parse(new TextDecoder().decode(message)) as AkoolChatMessage | AkoolCommandMessage);
  }

  /** Akool's side: speaks finished sentences in order, acknowledges commands. */
  private avatarHears(m: AkoolChatMessage | AkoolCommandMessage): void {
    if (m.type === 'command') {
      if (m.pld.cmd === 'interrupt' && this.speakingUntil > Date.now()) {
        clearTimeout(this.speakingTimer);
        this.speakingUntil = 0;
        this.avatarSays({ type: 'event', mid: m.mid, pld: { event: 'audio_end' } });
      }
      this.avatarSays({
        type: 'command',
        mid: m.mid,
        pld: { cmd: m.pld.cmd, code: this.behaviour.ackCode, msg: this.behaviour.ackCode === 1000 ? 'OK' : 'refused' },
      });
      return;
    }
    if (!m.fin || this.behaviour.silent) return;
    const text = this.sent
      .filter((x): x is AkoolChatMessage => x.type === 'chat' && x.mid === m.mid)
      .map((x) => x.pld.text)
      .join('');
    const duration = text.length * this.behaviour.msPerChar;
    const now = Date.now();
    if (this.speakingUntil > now) {
      this.speakingUntil += duration; // queued behind what it is saying
    } else {
      this.speakingUntil = now + this.behaviour.speechDelayMs + duration;
      this.later(
        () => this.avatarSays({ type: 'event', mid: m.mid, pld: { event: 'audio_start' } }),
        this.behaviour.speechDelayMs,
      );
    }
    clearTimeout(this.speakingTimer);
    this.speakingTimer = this.later(() => {
      this.speakingUntil = 0;
      this.avatarSays({ type: 'event', mid: m.mid, pld: { event: 'audio_end' } });
    }, this.speakingUntil - now);
  }

  /** Every video track this fake handed out that is still live. */
  liveTracks(): number {
    return this.videoTracks.filter((t) => t.mediaStreamTrack.readyState === 'live').length;
  }
}
