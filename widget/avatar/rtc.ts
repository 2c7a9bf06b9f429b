// The part of the Agora Web SDK (agora-rtc-sdk-ng 4.24) the avatar uses, as a narrow interface: the controller and
// its tests see only this, agora.ts adapts the real client to it, and test/widget/fakes/agora.ts fakes it with the
// same event names and argument shapes. Types only: nothing here reaches a bundle.

export type UID = number | string;

export type ConnectionState = 'DISCONNECTED' | 'CONNECTING' | 'RECONNECTING' | 'CONNECTED' | 'DISCONNECTING';

/** Agora's RemoteStreamType: 0 the publisher's high stream, 1 its low stream (present when it sends dual streams). */
export type RemoteStreamType = 0 | 1;

export type MediaKind = 'audio' | 'video';

/** A subscribed remote track. `stop()` stops playback; remote tracks have no `close()`, `leave()` ends them. */
export interface RemoteTrack {
  stop(): void;
}

export interface RemoteVideoTrack extends RemoteTrack {
  /** Renders into `element`; the SDK adds its own player (a div with a `<video>`) inside. */
  play(element: HTMLElement): void;
}

export interface RemoteAudioTrack extends RemoteTrack {
  /** Plays through the SDK's own audio output. */
  play(): void;
}

/** Someone else in the channel: for us, Akool's avatar. */
export interface RemoteUser {
  readonly uid: UID;
  readonly hasAudio: boolean;
  readonly hasVideo: boolean;
}

/** `network-quality`, every 2 s: 0 unknown, 1 excellent ... 4 not smooth, 5 barely usable, 6 disconnected. */
export interface NetworkQuality {
  uplinkNetworkQuality: number;
  downlinkNetworkQuality: number;
}

/** The client's events we listen to, with the SDK's argument lists. */
export interface AvatarRtcEvents {
  'user-published': (user: RemoteUser, mediaType: MediaKind | 'datachannel') => void;
  'user-unpublished': (user: RemoteUser, mediaType: MediaKind | 'datachannel') => void;
  'user-left': (user: RemoteUser, reason: string) => void;
  'connection-state-change': (current: ConnectionState, previous: ConnectionState, reason?: string) => void;
  'network-quality': (stats: NetworkQuality) => void;
  exception: (event: { code: number; msg: string; uid: UID }) => void;
  /** 30 s before the token expires: `renewToken` with a fresh one, or the SDK leaves the channel when it does. */
  'token-privilege-will-expire': () => void;
  /** The token expired: the SDK has left the channel (connection-state-change DISCONNECTED, TOKEN_EXPIRE). */
  'token-privilege-did-expire': () => void;
  /** What the avatar sends back: Akool's v2 events (audio_start, audio_end) and command acknowledgements. */
  'stream-message': (uid: UID, payload: Uint8Array) => void;
}

export interface AvatarRtc {
  readonly connectionState: ConnectionState;
  /** Resolves with our uid once in the channel. The avatar, already there, is announced by `user-published`. */
  join(appId: string, channel: string, token: string | null, uid?: UID | null): Promise<UID>;
  /** Leaves the channel; also aborts a join still in progress. Remote tracks end here. */
  leave(): Promise<void>;
  subscribe(user: RemoteUser, mediaType: 'video'): Promise<RemoteVideoTrack>;
  subscribe(user: RemoteUser, mediaType: 'audio'): Promise<RemoteAudioTrack>;
  unsubscribe(user: RemoteUser, mediaType?: MediaKind): Promise<void>;
  setRemoteVideoStreamType(uid: UID, streamType: RemoteStreamType): Promise<void>;
  /** Swaps in a fresh token (same channel and uid) before the current one expires. */
  renewToken(token: string): Promise<void>;
  /**
   * Akool's channel for text and commands; at most 1024 bytes a message (the SDK throws above). It exists on the
   * SDK's client class but not on its public `IAgoraRTCClient` type, hence this declaration.
   */
  sendStreamMessage(message: Uint8Array, needRetry?: boolean): Promise<void>;
  on<K extends keyof AvatarRtcEvents>(event: K, listener: AvatarRtcEvents[K]): void;
  off<K extends keyof AvatarRtcEvents>(event: K, listener: AvatarRtcEvents[K]): void;
}
