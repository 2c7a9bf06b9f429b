import { fakeOwned } from './fakes/openai-peer.ts';

/**
 * Counts what the widget opens: peer connections, audio contexts and microphone tracks, by wrapping the browser's
 * constructors for the length of a test. The fake OpenAI peer's own objects are left out.
 */
export function trackResources() {
  const peers: RTCPeerConnection[] = [];
  const contexts: AudioContext[] = [];
  const tracks: MediaStreamTrack[] = [];
  const OriginalPC = window.RTCPeerConnection;
  const OriginalAC = window.AudioContext;
  const originalGUM = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  window.RTCPeerConnection = class extends OriginalPC {
    constructor(config?: RTCConfiguration) {
      super(config);
      peers.push(this);
    }
  };
  window.AudioContext = class extends OriginalAC {
    constructor(options?: AudioContextOptions) {
      super(options);
      contexts.push(this);
    }
  };
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    const stream = await originalGUM(constraints);
    tracks.push(...stream.getTracks());
    return stream;
  };
  const mine = <T extends object>(list: T[]) => list.filter((x) => !fakeOwned.has(x));
  return {
    get peers() {
      return mine(peers);
    },
    get contexts() {
      return mine(contexts);
    },
    tracks,
    live() {
      return {
        peers: mine(peers).filter((p) => p.connectionState !== 'closed' || p.signalingState !== 'closed').length,
        contexts: mine(contexts).filter((c) => c.state !== 'closed').length,
        tracks: tracks.filter((t) => t.readyState === 'live').length,
      };
    },
    restore() {
      window.RTCPeerConnection = OriginalPC;
      window.AudioContext = OriginalAC;
      navigator.mediaDevices.getUserMedia = originalGUM;
    },
  };
}
