import { Emitter } from './emitter.ts';
import { fromServerError, WidgetError } from './kit.ts';
import type { RealtimeClientEvent, RealtimeServerEvent, RealtimeTransport, TransportEvents } from './transport.ts';

export interface WebRtcOptions {
  /** The Worker's POST /v1/realtime/calls (or, for a tenant that opted in to browser keys, OpenAI's). */
  callsUrl: string;
  /** The single-use hands-free ticket (or the ephemeral key). */
  bearer: string;
  /** The visitor's microphone; owned by the caller and never stopped here. */
  mic: MediaStream;
  onRemoteStream: (stream: MediaStream) => void;
  /** How long the `oai-events` channel may take to open before the connection counts as failed. */
  dataChannelTimeoutMs?: number;
  /** A peer connection prepared ahead of the click (prewarm): its offer is ready, the microphone goes in at once. */
  prepared?: PreparedPeer | null;
}

/** An offer made before the click: the audio transceiver waits for the microphone's track, the channel is there. */
export interface PreparedPeer {
  pc: RTCPeerConnection;
  channel: RTCDataChannel;
  sender: RTCRtpSender;
  close(): void;
}

/**
 * Prepares the peer connection and its offer on hover, before the microphone may be opened: an audio transceiver
 * without a track (replaceTrack fills it after the click, no renegotiation) and the `oai-events` channel.
 */
export async function preparePeer(): Promise<PreparedPeer> {
  const pc = new RTCPeerConnection();
  const { sender } = pc.addTransceiver('audio', { direction: 'sendrecv' });
  const channel = pc.createDataChannel('oai-events');
  await pc.setLocalDescription(await pc.createOffer());
  return { pc, channel, sender, close: () => pc.close() };
}

/**
 * An error answer to the offer (never parsed as SDP). The Worker's own codes read as its messages for visitors;
 * OpenAI's wording (a browser key's path) is for developers, so only its status shapes the sentence.
 */
type ErrorBody = { error?: { message?: string; code?: string; requestId?: string } };
async function sdpError(res: Response): Promise<WidgetError> {
  let body: ErrorBody | null = null;
  try {
    body = (await res.json()) as ErrorBody;
  } catch {
    /* not JSON */
  }
  const code = body?.error?.code;
  if (res.status === 401 && (code === 'invalid_ticket' || code === 'ticket_used' || !body?.error?.requestId)) {
    return WidgetError.of('key_expired', { retryable: true });
  }
  if (code && body?.error?.requestId)
    return fromServerError(code, body.error.message ?? 'The voice connection was refused.');
  return WidgetError.of('sdp_error', { retryable: true });
}

/** Hands-free voice over WebRTC: the mic track goes up, the model's audio comes down, events on `oai-events`. */
export class WebRtcTransport implements RealtimeTransport {
  /** How long ICE and the data channel may take; a page (or a test) may change it. */
  static openTimeoutMs = 8000;
  readonly kind = 'webrtc' as const;
  private readonly emitter = new Emitter<TransportEvents>();
  private pc: RTCPeerConnection | null = null;
  private channel: RTCDataChannel | null = null;
  private closedByUs = false;

  constructor(private readonly opts: WebRtcOptions) {}

  on<K extends keyof TransportEvents>(type: K, listener: (payload: TransportEvents[K]) => void) {
    return this.emitter.on(type, listener);
  }

  async connect(): Promise<void> {
    const prepared = this.opts.prepared?.pc.signalingState === 'have-local-offer' ? this.opts.prepared : null;
    const pc = (this.pc = prepared?.pc ?? new RTCPeerConnection());
    pc.ontrack = (e) => this.opts.onRemoteStream(e.streams[0] ?? new MediaStream([e.track]));
    const micTrack = this.opts.mic.getAudioTracks()[0];
    if (prepared) {
      if (micTrack) await prepared.sender.replaceTrack(micTrack);
      prepared.sender.setStreams?.(this.opts.mic);
    } else for (const track of this.opts.mic.getAudioTracks()) pc.addTrack(track, this.opts.mic);
    const channel = (this.channel = prepared?.channel ?? pc.createDataChannel('oai-events'));
    channel.onmessage = (e) => {
      let event: RealtimeServerEvent;
      try {
        event = JSON.parse(String(e.data)) as RealtimeServerEvent;
      } catch {
        return; // a malformed frame is dropped, not fatal
      }
      this.emitter.emit('event', event);
    };
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === 'failed' && !this.closedByUs) {
        this.fail(WidgetError.of('connection_failed', { retryable: true }));
      }
    };
    channel.onclose = () => {
      if (!this.closedByUs) this.fail(WidgetError.of('connection_lost', { retryable: true }));
    };

    if (!prepared) await pc.setLocalDescription(await pc.createOffer());
    // The local description, with whatever ICE candidates were gathered by now (all of them, after a prewarm).
    const sdp = pc.localDescription?.sdp ?? '';
    let res: Response;
    try {
      res = await fetch(this.opts.callsUrl, {
        method: 'POST',
        body: sdp,
        headers: { Authorization: `Bearer ${this.opts.bearer}`, 'Content-Type': 'application/sdp' },
      });
    } catch (cause) {
      throw WidgetError.of('connection_failed', { cause });
    }
    if (!res.ok) throw await sdpError(res);
    const answer = await res.text();
    if (!answer.startsWith('v=')) throw WidgetError.of('sdp_error');
    if (this.closedByUs) return;
    await pc.setRemoteDescription({ type: 'answer', sdp: answer });
    await this.channelOpen(channel, this.opts.dataChannelTimeoutMs ?? WebRtcTransport.openTimeoutMs);
  }

  private channelOpen(channel: RTCDataChannel, timeoutMs: number): Promise<void> {
    if (channel.readyState === 'open') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        reject(WidgetError.of('datachannel_timeout'));
      }, timeoutMs);
      const onOpen = () => {
        cleanup();
        resolve();
      };
      const onClose = () => {
        cleanup();
        reject(WidgetError.of('connection_failed'));
      };
      const cleanup = () => {
        clearTimeout(timer);
        channel.removeEventListener('open', onOpen);
        channel.removeEventListener('close', onClose);
      };
      channel.addEventListener('open', onOpen);
      channel.addEventListener('close', onClose);
    });
  }

  send(event: RealtimeClientEvent): void {
    if (this.channel?.readyState === 'open') this.channel.send(JSON.stringify(event));
  }

  private fail(error: WidgetError) {
    if (this.closedByUs) return;
    this.release();
    this.emitter.emit('closed', { error });
    this.emitter.clear();
  }

  private release() {
    this.closedByUs = true;
    const { pc, channel } = this;
    this.pc = null;
    this.channel = null;
    if (channel) {
      channel.onmessage = channel.onclose = null;
      channel.close();
    }
    if (pc) {
      pc.ontrack = pc.onconnectionstatechange = null;
      pc.close();
    }
  }

  close(): void {
    this.release();
    this.emitter.clear();
  }
}
