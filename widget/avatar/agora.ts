// The real Agora client behind AvatarRtc. Only avatar.lazy.ts imports this module, and only dynamically, so the
// SDK (about 350 KB gzip) becomes a chunk of its own that a page downloads when a visitor turns the avatar on.
import {
  createClient,
  disableLogUpload,
  setLogLevel,
  setParameter,
  type IAgoraRTCClient,
  type IAgoraRTCRemoteUser,
  type IRemoteAudioTrack,
  type IRemoteVideoTrack,
} from 'agora-rtc-sdk-ng/esm';
import type { AvatarRtc, AvatarRtcEvents, ConnectionState, MediaKind, RemoteUser } from './rtc.ts';

/** `sendStreamMessage` is on the client class, not on the public interface `createClient` returns. */
type ClientWithStreamMessages = IAgoraRTCClient & {
  sendStreamMessage(message: Uint8Array | string, needRetry?: boolean): Promise<void>;
};

let configured = false;

/**
 * The SDK reports events and statistics to Agora's collectors and can upload its logs; the widget's visitors did
 * not agree to that, and a page with a strict connect-src would log a CSP error for each attempt. Warnings and
 * errors still reach the console.
 */
function quietSdk(): void {
  if (configured) return;
  configured = true;
  setLogLevel(2);
  disableLogUpload();
  setParameter('ENABLE_EVENT_REPORT', false);
  setParameter('REPORT_STATS', false);
}

export function createAgoraRtc(): AvatarRtc {
  quietSdk();
  const client = createClient({ mode: 'rtc', codec: 'vp8' }) as ClientWithStreamMessages;
  // Users reach the controller through this client's own events, so the narrow RemoteUser is the SDK's object.
  const sdkUser = (user: { uid: IAgoraRTCRemoteUser['uid'] }) => user as IAgoraRTCRemoteUser;
  function subscribe(user: RemoteUser, mediaType: 'video'): Promise<IRemoteVideoTrack>;
  function subscribe(user: RemoteUser, mediaType: 'audio'): Promise<IRemoteAudioTrack>;
  function subscribe(user: RemoteUser, mediaType: MediaKind): Promise<IRemoteVideoTrack | IRemoteAudioTrack> {
    return mediaType === 'video' ? client.subscribe(sdkUser(user), 'video') : client.subscribe(sdkUser(user), 'audio');
  }
  return {
    get connectionState(): ConnectionState {
      return client.connectionState;
    },
    join: (appId, channel, token, uid) => client.join(appId, channel, token, uid),
    leave: () => client.leave(),
    subscribe,
    unsubscribe: (user, mediaType) => client.unsubscribe(sdkUser(user), mediaType),
    setRemoteVideoStreamType: (uid, streamType) => client.setRemoteVideoStreamType(uid, streamType),
    renewToken: (token) => client.renewToken(token),
    sendStreamMessage: (message, needRetry) => client.sendStreamMessage(message, needRetry),
    on: <K extends keyof AvatarRtcEvents>(event: K, listener: AvatarRtcEvents[K]) => client.on(event, listener),
    off: <K extends keyof AvatarRtcEvents>(event: K, listener: AvatarRtcEvents[K]) => client.off(event, listener),
  };
}
