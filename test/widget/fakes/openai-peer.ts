import type { RealtimeClientEvent, RealtimeServerEvent } from 'openai/resources/realtime/realtime';
import { assistantMessage, functionCallItem, responseUsage } from '../../fakes/realtime-items.js';
import { itemProblem, responseProblem, sessionProblem } from '../../fakes/realtime-rules.js';

/** Every peer connection and audio context the fake makes, so leak checks can leave them out. */
export const fakeOwned = new Set<object>();

type ServerEvent = RealtimeServerEvent | Record<string, unknown>;

/**
 * OpenAI's side of a WebRTC call, in the page: answers the SDP offer POSTed to /v1/realtime/calls, opens
 * `oai-events`, sends the model's audio as a real track, plays scripted GA server events and records what the
 * widget sends. The two RTCPeerConnections meet over loopback.
 *
 * It keeps the API's response rules: one response at a time (a `response.create` while one is in progress gets
 * `conversation_already_has_active_response`), `response.cancel` with nothing to cancel gets
 * `response_cancel_not_active`, and an accepted `response.create` starts a response (`reply` says what is in it).
 * `session.update`, `conversation.item.create` and `response.create` are checked by the Node fake's rules
 * (test/fakes/realtime-rules.js): an unknown key, a bad item or tool schema is refused as the API refuses it.
 * Whatever it refused is in `refused`, so a test can require that nothing was.
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
  private responseSeq = 0;
  /** The response in progress, as this side announced it (response.created sent, response.done not yet). */
  activeResponse: string | null = null;
  private cancelled = new Set<string>();
  /** Client events the real API would have refused, with the code it answers. */
  readonly refused: Array<{ type: string; code: string }> = [];
  /** The body of a response the widget asked for (between response.created and response.done); default: nothing. */
  reply: (responseId: string) => ServerEvent[] = () => [];
  /** Pause between the events of a reply. */
  replyGapMs = 5;

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
        this.receivedWaiters = this.receivedWaiters.filter((w) =>
          w.type === event.type ? (w.resolve(event), false) : true,
        );
        this.handle(event);
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
      setTimeout(
        () =>
          reject(new Error(`no ${type} within ${timeoutMs} ms; got ${this.received.map((e) => e.type).join(', ')}`)),
        timeoutMs,
      );
    });
  }

  private pending: string[] = [];

  private refuse(event: RealtimeClientEvent, code: string, message: string, param: string | null = null) {
    this.refused.push({ type: event.type, code });
    this.send({
      type: 'error',
      error: { type: 'invalid_request_error', code, message, param, event_id: event.event_id ?? null },
    });
  }

  /** What the API does with the client events that configure the session, add items, start and stop responses. */
  private handle(event: RealtimeClientEvent) {
    const problem =
      event.type === 'session.update'
        ? sessionProblem(event.session)
        : event.type === 'conversation.item.create'
          ? itemProblem(event.item)
          : null;
    if (problem) return this.refuse(event, problem.code, problem.message, problem.param);
    if (event.type === 'response.create') {
      if (this.activeResponse) {
        return this.refuse(
          event,
          'conversation_already_has_active_response',
          `Conversation already has an active response in progress: ${this.activeResponse}. Wait until the response is finished before creating a new one.`,
        );
      }
      const bad = responseProblem(event.response);
      if (bad) return this.refuse(event, bad.code, bad.message, bad.param);
      const id = `resp_auto_${++this.responseSeq}`;
      this.send({
        type: 'response.created',
        response: { id, object: 'realtime.response', status: 'in_progress', output: [] },
      });
      void (async () => {
        for (const e of this.reply(id)) {
          await new Promise((r) => setTimeout(r, this.replyGapMs));
          if (this.activeResponse !== id) return; // cancelled
          this.send(e);
        }
        await new Promise((r) => setTimeout(r, this.replyGapMs));
        if (this.activeResponse === id)
          this.send({
            type: 'response.done',
            response: { id, object: 'realtime.response', status: 'completed', output: [] },
          });
      })();
    } else if (event.type === 'response.cancel') {
      if (!this.activeResponse)
        return this.refuse(event, 'response_cancel_not_active', 'Cancellation failed: no active response found.');
      const id = this.activeResponse;
      this.cancelled.add(id);
      this.send({
        type: 'response.done',
        response: {
          id,
          object: 'realtime.response',
          status: 'cancelled',
          status_details: { type: 'cancelled', reason: 'client_cancelled' },
          output: [],
        },
      });
    }
  }

  /** Sends now, or as soon as our side of `oai-events` is open (the widget's side can open first). */
  send(event: ServerEvent): void {
    const response = (event as { response?: { id?: string } }).response;
    if (event.type === 'response.created') this.activeResponse = response?.id ?? 'resp_unknown';
    if (event.type === 'response.done') {
      if (this.activeResponse !== response?.id && this.cancelled.has(response?.id ?? '')) return; // already ended by the cancel
      this.activeResponse = null;
    }
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
  async play(events: ServerEvent[], gapMs = 5): Promise<void> {
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

const usage = responseUsage({ inputText: 50, inputAudio: 150, cached: 10, outputText: 21, outputAudio: 100 });

/** A realistic GA event sequence for one hands-free turn. */
export function turnEvents(opts: { userItem?: string; assistantItem?: string; responseId?: string } = {}) {
  const userItem = opts.userItem ?? 'item_user_1';
  const assistantItem = opts.assistantItem ?? 'item_asst_1';
  const responseId = opts.responseId ?? 'resp_1';
  return [
    { type: 'input_audio_buffer.speech_started', audio_start_ms: 120, item_id: userItem },
    { type: 'input_audio_buffer.speech_stopped', audio_end_ms: 2400, item_id: userItem },
    { type: 'input_audio_buffer.committed', previous_item_id: null, item_id: userItem },
    {
      type: 'conversation.item.input_audio_transcription.delta',
      item_id: userItem,
      content_index: 0,
      delta: 'I want a wolf ',
    },
    {
      type: 'conversation.item.input_audio_transcription.delta',
      item_id: userItem,
      content_index: 0,
      delta: 'on my forearm',
    },
    {
      type: 'conversation.item.input_audio_transcription.completed',
      item_id: userItem,
      content_index: 0,
      transcript: 'I want a wolf on my forearm',
    },
    {
      type: 'response.created',
      response: { id: responseId, object: 'realtime.response', status: 'in_progress', output: [] },
    },
    {
      type: 'response.output_item.added',
      response_id: responseId,
      output_index: 0,
      item: assistantMessage(assistantItem, 'in_progress'),
    },
    { type: 'output_audio_buffer.started', response_id: responseId },
    {
      type: 'response.output_audio_transcript.delta',
      response_id: responseId,
      item_id: assistantItem,
      output_index: 0,
      content_index: 0,
      delta: 'A wolf on the forearm ',
    },
    {
      type: 'response.output_audio_transcript.delta',
      response_id: responseId,
      item_id: assistantItem,
      output_index: 0,
      content_index: 0,
      delta: 'sounds great.',
    },
    {
      type: 'response.output_audio_transcript.done',
      response_id: responseId,
      item_id: assistantItem,
      output_index: 0,
      content_index: 0,
      transcript: 'A wolf on the forearm sounds great.',
    },
    {
      type: 'response.done',
      response: { id: responseId, object: 'realtime.response', status: 'completed', output: [], usage },
    },
    { type: 'output_audio_buffer.stopped', response_id: responseId },
    {
      type: 'rate_limits.updated',
      rate_limits: [
        { name: 'requests', limit: 1000, remaining: 998, reset_seconds: 60 },
        { name: 'tokens', limit: 50000, remaining: 49679, reset_seconds: 60 },
      ],
    },
  ];
}

/**
 * One response in which the model calls tools, as the API streams it: each call's `function_call_arguments.done`
 * comes inside the response, before its `response.done` (which `done: false` leaves out, for the test to send).
 */
export function toolCallResponse(
  calls: Array<{ name: string; args: unknown; callId?: string }>,
  opts: { responseId?: string; done?: boolean } = {},
) {
  const response_id = opts.responseId ?? `resp_tools_${Math.random().toString(36).slice(2, 8)}`;
  const events: Array<Record<string, unknown>> = [
    {
      type: 'response.created',
      response: { id: response_id, object: 'realtime.response', status: 'in_progress', output: [] },
    },
  ];
  const output: unknown[] = [];
  calls.forEach((c, output_index) => {
    const call_id = c.callId ?? `call_${Math.random().toString(36).slice(2, 8)}`;
    const item_id = `item_fc_${call_id}`;
    const args = typeof c.args === 'string' ? c.args : JSON.stringify(c.args);
    const item = (status: 'in_progress' | 'completed', a: string) =>
      functionCallItem({ id: item_id, callId: call_id, name: c.name }, status, a);
    events.push(
      { type: 'response.output_item.added', response_id, output_index, item: item('in_progress', '') },
      { type: 'response.function_call_arguments.delta', response_id, item_id, output_index, call_id, delta: args },
      {
        type: 'response.function_call_arguments.done',
        response_id,
        item_id,
        output_index,
        call_id,
        name: c.name,
        arguments: args,
      },
      { type: 'response.output_item.done', response_id, output_index, item: item('completed', args) },
    );
    output.push(item('completed', args));
  });
  const done = {
    type: 'response.done',
    response: { id: response_id, object: 'realtime.response', status: 'completed', output, usage },
  };
  return { responseId: response_id, events: opts.done === false ? events : [...events, done], done };
}
