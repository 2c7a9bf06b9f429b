import type { RealtimeClientEvent, RealtimeServerEvent } from 'openai/resources/realtime/realtime';

/** Every peer connection and audio context the fake makes, so leak checks can leave them out. */
export const fakeOwned = new Set<object>();

/**
 * OpenAI's side of a WebRTC call, in the page: answers the SDP offer POSTed to /v1/realtime/calls, opens
 * `oai-events`, sends the model's audio as a real track, plays scripted GA server events and records what the
 * widget sends. The two RTCPeerConnections meet over loopback.
 */
export class FakeOpenAIPeer {
  pc: RTCPeerConnection | null = null;
  channel: RTCDataChannel | null = null;
  readonly received: RealtimeClientEvent[] = [];
  private ctx: AudioContext | null = null;
  private openWaiters: Array<() => void> = [];
  private receivedWaiters: Array<{ type: string; resolve: (e: RealtimeClientEvent) => void }> = [];
  /** When set, neither side learns the other's ICE candidates, so the connection never comes up (an ICE failure). */
  blockIce = false;
  private eventSeq = 0;

  async answer(offerSdp: string): Promise<string> {
    const pc = (this.pc = new RTCPeerConnection());
    fakeOwned.add(pc);
    const ctx = (this.ctx = new AudioContext());
    fakeOwned.add(ctx);
    const osc = ctx.createOscillator();
    const dest = ctx.createMediaStreamDestination();
    osc.connect(dest);
    osc.start();
    pc.addTrack(dest.stream.getAudioTracks()[0]!, dest.stream);
    pc.ondatachannel = (e) => {
      const channel = (this.channel = e.channel);
      channel.onmessage = (m) => {
        const event = JSON.parse(String(m.data)) as RealtimeClientEvent;
        this.received.push(event);
        this.receivedWaiters = this.receivedWaiters.filter((w) => (w.type === event.type ? (w.resolve(event), false) : true));
      };
      const opened = () => {
        for (const resolve of this.openWaiters.splice(0)) resolve();
      };
      if (channel.readyState === 'open') opened();
      else channel.onopen = opened;
    };
    const strip = (sdp: string) => (this.blockIce ? sdp.replace(/^a=candidate:.*\r?\n/gm, '') : sdp);
    await pc.setRemoteDescription({ type: 'offer', sdp: strip(offerSdp) });
    await pc.setLocalDescription(await pc.createAnswer());
    await new Promise<void>((resolve) => {
      if (pc.iceGatheringState === 'complete') return resolve();
      pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
      setTimeout(resolve, 2000);
    });
    return strip(pc.localDescription!.sdp);
  }

  /** Resolves when `oai-events` is open on our side. */
  opened(): Promise<void> {
    if (this.channel?.readyState === 'open') return Promise.resolve();
    return new Promise((resolve) => this.openWaiters.push(resolve));
  }

  /** Resolves with the next client event of that type (or one already received). */
  nextReceived(type: string, timeoutMs = 5000): Promise<RealtimeClientEvent> {
    const seen = this.received.find((e) => e.type === type);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      this.receivedWaiters.push({ type, resolve });
      setTimeout(() => reject(new Error(`no ${type} within ${timeoutMs} ms; got ${this.received.map((e) => e.type).join(', ')}`)), timeoutMs);
    });
  }

  private pending: string[] = [];

  /** Sends now, or as soon as our side of `oai-events` is open (the widget's side can open first). */
  send(event: RealtimeServerEvent | Record<string, unknown>): void {
    const text = JSON.stringify({ event_id: `event_${++this.eventSeq}`, ...event });
    if (this.channel?.readyState === 'open') this.channel.send(text);
    else {
      this.pending.push(text);
      void this.opened().then(() => {
        for (const t of this.pending.splice(0)) this.channel?.send(t);
      });
    }
  }

  /** Sends events one by one with a pause, as the API streams them. */
  async play(events: Array<RealtimeServerEvent | Record<string, unknown>>, gapMs = 5): Promise<void> {
    for (const e of events) {
      this.send(e);
      await new Promise((r) => setTimeout(r, gapMs));
    }
  }

  /** Drops the connection as a network failure would. */
  drop(): void {
    this.channel?.close();
    this.pc?.close();
  }

  close(): void {
    this.channel?.close();
    this.pc?.close();
    void this.ctx?.close();
    this.pc = null;
    this.channel = null;
    this.ctx = null;
  }
}

const usage = { total_tokens: 321, input_tokens: 200, output_tokens: 121, input_token_details: { text_tokens: 50, audio_tokens: 150, cached_tokens: 10 }, output_token_details: { text_tokens: 21, audio_tokens: 100 } };

/** A realistic GA event sequence for one hands-free turn. */
export function turnEvents(opts: { userItem?: string; assistantItem?: string; responseId?: string } = {}) {
  const userItem = opts.userItem ?? 'item_user_1';
  const assistantItem = opts.assistantItem ?? 'item_asst_1';
  const responseId = opts.responseId ?? 'resp_1';
  return [
    { type: 'input_audio_buffer.speech_started', audio_start_ms: 120, item_id: userItem },
    { type: 'input_audio_buffer.speech_stopped', audio_end_ms: 2400, item_id: userItem },
    { type: 'input_audio_buffer.committed', previous_item_id: null, item_id: userItem },
    { type: 'conversation.item.input_audio_transcription.delta', item_id: userItem, content_index: 0, delta: 'I want a wolf ' },
    { type: 'conversation.item.input_audio_transcription.delta', item_id: userItem, content_index: 0, delta: 'on my forearm' },
    { type: 'conversation.item.input_audio_transcription.completed', item_id: userItem, content_index: 0, transcript: 'I want a wolf on my forearm' },
    { type: 'response.created', response: { id: responseId, object: 'realtime.response', status: 'in_progress', output: [] } },
    { type: 'response.output_item.added', response_id: responseId, output_index: 0, item: { id: assistantItem, type: 'message', role: 'assistant', content: [] } },
    { type: 'output_audio_buffer.started', response_id: responseId },
    { type: 'response.output_audio_transcript.delta', response_id: responseId, item_id: assistantItem, output_index: 0, content_index: 0, delta: 'A wolf on the forearm ' },
    { type: 'response.output_audio_transcript.delta', response_id: responseId, item_id: assistantItem, output_index: 0, content_index: 0, delta: 'sounds great.' },
    { type: 'response.output_audio_transcript.done', response_id: responseId, item_id: assistantItem, output_index: 0, content_index: 0, transcript: 'A wolf on the forearm sounds great.' },
    { type: 'response.done', response: { id: responseId, object: 'realtime.response', status: 'completed', output: [], usage } },
    { type: 'output_audio_buffer.stopped', response_id: responseId },
    { type: 'rate_limits.updated', rate_limits: [{ name: 'requests', limit: 1000, remaining: 998, reset_seconds: 60 }, { name: 'tokens', limit: 50000, remaining: 49679, reset_seconds: 60 }] },
  ];
}
