import type { AkoolChatMessage, AkoolCommandMessage } from '../../../widget/avatar/message-queue.ts';
import type { AvatarRtc, AvatarRtcEvents, ConnectionState, MediaKind, RemoteAudioTrack, RemoteStreamType, RemoteUser, RemoteVideoTrack, UID } from '../../../widget/avatar/rtc.ts';

type Listener = (...args: never[]) => void;

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

/**
 * The Agora client as the avatar controller sees it (AvatarRtc), with the real SDK's event names and argument
 * lists. `join` joins at once (or as scripted), then Akool's avatar publishes audio and video; stream messages are
 * recorded; `emit` plays any SDK event.
 */
export class FakeAgoraRtc implements AvatarRtc {
  static readonly instances: FakeAgoraRtc[] = [];
  static reset(): void {
    FakeAgoraRtc.instances.length = 0;
  }

  connectionState: ConnectionState = 'DISCONNECTED';
  /** 'ok', 'hang' (never answers; leave() aborts it) or an error to reject with. */
  joinBehaviour: 'ok' | 'hang' | Error = 'ok';
  /** Whether the avatar publishes after the join. */
  avatarPublishes = true;
  readonly avatar = new FakeRemoteUser(4242);
  readonly joins: Array<{ appId: string; channel: string; token: string | null; uid: UID | null | undefined }> = [];
  readonly messages: Uint8Array[] = [];
  readonly streamTypes: RemoteStreamType[] = [];
  readonly unsubscribed: Array<MediaKind | undefined> = [];
  readonly videoTracks: FakeVideoTrack[] = [];
  readonly audioTracks: FakeAudioTrack[] = [];
  leaves = 0;
  private readonly listeners = new Map<string, Set<Listener>>();
  private abortJoin: ((error: Error) => void) | null = null;

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
    set.add(listener as Listener);
  }

  off<K extends keyof AvatarRtcEvents>(event: K, listener: AvatarRtcEvents[K]): void {
    this.listeners.get(event)?.delete(listener as Listener);
  }

  emit<K extends keyof AvatarRtcEvents>(event: K, ...args: Parameters<AvatarRtcEvents[K]>): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) (listener as (...a: Parameters<AvatarRtcEvents[K]>) => void)(...args);
  }

  private setState(next: ConnectionState, reason?: string): void {
    const previous = this.connectionState;
    this.connectionState = next;
    this.emit('connection-state-change', next, previous, reason);
  }

  async join(appId: string, channel: string, token: string | null, uid?: UID | null): Promise<UID> {
    this.joins.push({ appId, channel, token, uid });
    this.setState('CONNECTING');
    const behaviour = this.joinBehaviour;
    if (behaviour === 'hang') {
      await new Promise<never>((_, reject) => (this.abortJoin = reject));
    }
    if (behaviour instanceof Error) {
      this.setState('DISCONNECTED', 'NETWORK_ERROR');
      throw behaviour;
    }
    this.setState('CONNECTED');
    if (this.avatarPublishes) {
      // The SDK announces users already in the channel right after the join.
      setTimeout(() => {
        if (!this.joined) return;
        this.emit('user-published', this.avatar, 'audio');
        this.emit('user-published', this.avatar, 'video');
      }, 0);
    }
    return uid ?? 1;
  }

  async leave(): Promise<void> {
    this.leaves++;
    this.abortJoin?.(Object.assign(new Error('OPERATION_ABORTED: leave() during join'), { code: 'OPERATION_ABORTED' }));
    this.abortJoin = null;
    for (const t of this.videoTracks) t.mediaStreamTrack.stop();
    if (this.connectionState !== 'DISCONNECTED') this.setState('DISCONNECTED', 'LEAVE');
  }

  subscribe(user: RemoteUser, mediaType: 'video'): Promise<RemoteVideoTrack>;
  subscribe(user: RemoteUser, mediaType: 'audio'): Promise<RemoteAudioTrack>;
  async subscribe(user: RemoteUser, mediaType: MediaKind): Promise<RemoteVideoTrack | RemoteAudioTrack> {
    if (!this.joined) throw new Error('INVALID_OPERATION: subscribe before join');
    if (user.uid !== this.avatar.uid) throw new Error('INVALID_REMOTE_USER');
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
    // The real SDK throws "stream message out of range." above 1024 bytes.
    if (message.byteLength > 1024) throw new Error('stream message out of range.');
    if (!this.joined) throw new Error('INVALID_OPERATION: not in the channel');
    this.messages.push(message);
  }

  /** Every video track this fake handed out that is still live. */
  liveTracks(): number {
    return this.videoTracks.filter((t) => t.mediaStreamTrack.readyState === 'live').length;
  }
}
