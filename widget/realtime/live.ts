import type { RelaySessionResponse, SessionResponse } from '../../worker/api-types.ts';
import type { WorkerApi } from '../api/endpoints.ts';
import type { Mode, SessionStore } from '../state/session-store.ts';
import { MODE_TO_API_MODE, WidgetError } from './kit.ts';
import { PushToTalk } from './ptt.ts';
import { RelayTransport } from './relay.ts';
import { RealtimeSession, type AudioSink } from './session.ts';
import type { RealtimeTransport } from './transport.ts';
import { WebRtcTransport, type PreparedPeer } from './webrtc.ts';

/** Push-to-talk audio: capture (paused between presses) and playback; closed with the live session. */
export interface PttAudio {
  capture: {
    start(stream: MediaStream, opts?: { paused?: boolean }): Promise<void>;
    resume(): void;
    pause(): Promise<void>;
    stop(): void;
  };
  player: AudioSink & { start(): Promise<void>; close(): void; setMuted(muted: boolean): void };
}

/** One open conversation in one mode. `release()` closes what it opened; the microphone belongs to the caller. */
export interface Live {
  mode: Mode;
  sessionId: string;
  session: RealtimeSession;
  transport: RealtimeTransport;
  ptt: PushToTalk | null;
  release(): void;
}

export interface OpenOptions {
  api: WorkerApi;
  store: SessionStore;
  uid: string;
  model?: string;
  voice?: string;
  language?: string;
  mic: () => Promise<MediaStream>;
  /** A prewarmed hands-free grant, if there is one. */
  grant?: () => Promise<SessionResponse>;
  /** The offer prepared on hover, if there is one (taken once; the caller closes what is not used). */
  prepared?: () => Promise<PreparedPeer | null>;
  playRemote: (stream: MediaStream) => void;
  pttAudio: () => Promise<PttAudio>;
  /** Each session as it is made, before its transport connects: the caller subscribes to its events here. */
  attach: (session: RealtimeSession) => void;
  onClosed: (error: WidgetError) => void;
  onAudioBlocked: () => void;
}

function relayGrant(g: SessionResponse, mode: Mode): RelaySessionResponse {
  if (g.mode === 'websocket' || g.mode === 'text') return g;
  throw new WidgetError('unexpected_grant', `The server answered ${g.mode} for ${mode}.`);
}

/** Opens a conversation in `mode`. Anything opened before a failure is closed again before it throws. */
export async function openLive(mode: Mode, o: OpenOptions): Promise<Live> {
  const request = () =>
    o.api.createSession({
      mode: MODE_TO_API_MODE[mode],
      uid: o.uid,
      model: o.model,
      voice: o.voice,
      language: o.language,
    });
  const cleanups: Array<() => void> = [];
  const release = () => {
    for (const fn of cleanups.splice(0).reverse()) fn();
  };
  const session = (transport: RealtimeTransport, audio?: AudioSink) => {
    const made = new RealtimeSession(o.store, transport, audio);
    o.attach(made);
    return made;
  };
  try {
    if (mode === 'hands-free') {
      const mic = await o.mic();
      let grant = await (o.grant ?? request)();
      let prepared = (await o.prepared?.()) ?? null;
      if (prepared) {
        const p = prepared;
        cleanups.push(() => p.close()); // closed with the transport when used; closed here when not
      }
      if (grant.mode === 'sandbox') {
        throw WidgetError.of('webrtc_unavailable', { retryable: false });
      }
      if (grant.mode !== 'webrtc')
        throw new WidgetError('unexpected_grant', `The server answered ${grant.mode} for hands-free.`);
      const open = async (g: typeof grant & { mode: 'webrtc' }) => {
        const bearer = g.ticket ?? g.clientSecret?.value ?? '';
        const transport = new WebRtcTransport({
          callsUrl: g.callsUrl,
          bearer,
          mic,
          onRemoteStream: o.playRemote,
          prepared,
        });
        prepared = null; // a retry with a fresh grant makes its own offer
        const opened = session(transport);
        cleanups.push(
          () => opened.dispose(),
          () => transport.close(),
        );
        await transport.connect();
        return { transport, session: opened };
      };
      let opened;
      try {
        opened = await open(grant);
      } catch (err) {
        // A key that expired between minting and use gets one fresh key.
        if (!(err instanceof WidgetError && err.code === 'key_expired')) throw err;
        release();
        grant = await request();
        if (grant.mode !== 'webrtc') throw err;
        opened = await open(grant);
      }
      opened.transport.on('closed', ({ error }) => o.onClosed(error ?? WidgetError.of('connection_lost')));
      return { mode, sessionId: grant.sessionId, ...opened, ptt: null, release };
    }

    const mic = mode === 'push-to-talk' ? await o.mic() : null;
    const grant = relayGrant(await request(), mode);
    const transport = new RelayTransport(mode === 'text' ? 'text' : 'websocket', grant.wsUrl);
    cleanups.push(() => transport.close());
    let audio: PttAudio | null = null;
    if (mic) {
      audio = await o.pttAudio();
      const a = audio;
      cleanups.push(
        () => a.capture.stop(),
        () => a.player.close(),
      );
    }
    const relaySession = session(transport, audio?.player);
    cleanups.push(() => relaySession.dispose());
    await transport.connect();
    let ptt: PushToTalk | null = null;
    if (audio && mic) {
      await audio.capture.start(mic, { paused: true });
      await audio.player.start().catch(() => o.onAudioBlocked());
      ptt = new PushToTalk(relaySession, audio.capture);
    }
    transport.on('closed', ({ error }) => o.onClosed(error ?? WidgetError.of('connection_lost')));
    return { mode, sessionId: grant.sessionId, session: relaySession, transport, ptt, release };
  } catch (err) {
    release();
    throw err;
  }
}
