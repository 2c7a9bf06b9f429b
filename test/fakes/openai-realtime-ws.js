// The server side of an OpenAI Realtime WebSocket session (GA event names), enough to drive a relay and a client:
// session.created first; session.update -> session.updated; audio buffer append/commit/clear with the API's errors;
// response.create -> a streamed reply (audio + transcript, or text), optionally a function call; cancel and truncate.
import { randomBytes } from 'node:crypto';

const id = (prefix) => `${prefix}_${randomBytes(8).toString('hex')}`;

export function attachRealtimeSocket(ws, { model, state }) {
  const conn = {
    received: [],
    session: { type: 'realtime', object: 'realtime.session', id: id('sess'), model, output_modalities: ['audio'], instructions: '', tools: [] },
    bufferedBytes: 0,
    activeResponse: null,
    closed: false,
    summary() {
      return { received: this.received.map((e) => e.type), session: this.session, events: this.received };
    },
  };
  state.realtime.connections.push(conn);
  const behaviour = state.realtime.behaviour;
  let eventSeq = 0;
  const send = (event) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event_id: `event_${++eventSeq}`, ...event }));
  };
  const error = (message, code, event_id) =>
    send({ type: 'error', error: { type: 'invalid_request_error', code, message, param: null, event_id: event_id ?? null } });

  send({ type: 'session.created', session: conn.session });
  if (behaviour.dropAfterMs) setTimeout(() => ws.terminate(), behaviour.dropAfterMs);

  ws.on('message', (data) => {
    let event;
    try {
      event = JSON.parse(String(data));
    } catch {
      return error('Invalid JSON', 'invalid_json');
    }
    conn.received.push(event);
    switch (event.type) {
      case 'session.update':
        Object.assign(conn.session, event.session ?? {});
        return send({ type: 'session.updated', session: conn.session });
      case 'input_audio_buffer.append': {
        const bytes = Buffer.from(event.audio ?? '', 'base64').length;
        conn.bufferedBytes += bytes;
        return;
      }
      case 'input_audio_buffer.clear':
        conn.bufferedBytes = 0;
        return send({ type: 'input_audio_buffer.cleared' });
      case 'input_audio_buffer.commit': {
        // 24 kHz PCM16: 48 bytes a millisecond; the API refuses less than 100 ms.
        if (conn.bufferedBytes < 4800) {
          return error(`Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, but buffer only has ${(conn.bufferedBytes / 48).toFixed(2)}ms of audio.`, 'input_audio_buffer_commit_empty', event.event_id);
        }
        const itemId = id('item');
        conn.bufferedBytes = 0;
        send({ type: 'input_audio_buffer.committed', previous_item_id: null, item_id: itemId });
        send({ type: 'conversation.item.input_audio_transcription.delta', item_id: itemId, content_index: 0, delta: 'a wolf ' });
        send({ type: 'conversation.item.input_audio_transcription.completed', item_id: itemId, content_index: 0, transcript: 'a wolf on my forearm' });
        return;
      }
      case 'conversation.item.create': {
        const item = { id: event.item?.id ?? id('item'), ...event.item };
        return send({ type: 'conversation.item.created', previous_item_id: null, item });
      }
      case 'conversation.item.truncate':
        return send({ type: 'conversation.item.truncated', item_id: event.item_id, content_index: event.content_index ?? 0, audio_end_ms: event.audio_end_ms });
      case 'response.cancel':
        if (conn.activeResponse) conn.activeResponse.cancelled = true;
        return;
      case 'response.create':
        return respond(event);
      default:
        return error(`Invalid value: '${event.type}'. Supported values are the client events of the Realtime API.`, 'invalid_value', event.event_id);
    }
  });
  ws.on('close', () => {
    conn.closed = true;
  });

  function respond(event) {
    const textOnly = (event.response?.output_modalities ?? conn.session.output_modalities ?? ['audio']).includes('text') &&
      !(event.response?.output_modalities ?? conn.session.output_modalities).includes('audio');
    const responseId = id('resp');
    const itemId = id('item');
    const response = { cancelled: false };
    conn.activeResponse = response;
    const reply = behaviour.reply ?? 'A fine-line wolf would look great on your forearm.';
    const words = reply.split(/(?<= )/);
    const steps = [];
    steps.push(() => send({ type: 'response.created', response: { id: responseId, object: 'realtime.response', status: 'in_progress', output: [] } }));
    steps.push(() => send({ type: 'response.output_item.added', response_id: responseId, output_index: 0, item: { id: itemId, type: 'message', role: 'assistant', content: [] } }));
    for (const w of words) {
      if (textOnly) steps.push(() => send({ type: 'response.output_text.delta', response_id: responseId, item_id: itemId, output_index: 0, content_index: 0, delta: w }));
      else {
        steps.push(() => send({ type: 'response.output_audio.delta', response_id: responseId, item_id: itemId, output_index: 0, content_index: 0, delta: Buffer.alloc(4800).toString('base64') }));
        steps.push(() => send({ type: 'response.output_audio_transcript.delta', response_id: responseId, item_id: itemId, output_index: 0, content_index: 0, delta: w }));
      }
    }
    if (textOnly) steps.push(() => send({ type: 'response.output_text.done', response_id: responseId, item_id: itemId, output_index: 0, content_index: 0, text: reply }));
    else {
      steps.push(() => send({ type: 'response.output_audio.done', response_id: responseId, item_id: itemId, output_index: 0, content_index: 0 }));
      steps.push(() => send({ type: 'response.output_audio_transcript.done', response_id: responseId, item_id: itemId, output_index: 0, content_index: 0, transcript: reply }));
    }
    if (behaviour.functionCall) {
      const callId = id('call');
      const args = JSON.stringify(behaviour.functionCall);
      steps.push(() => send({ type: 'response.function_call_arguments.delta', response_id: responseId, item_id: id('item'), output_index: 1, call_id: callId, delta: args }));
      steps.push(() => send({ type: 'response.function_call_arguments.done', response_id: responseId, item_id: id('item'), output_index: 1, call_id: callId, name: 'extract_keywords', arguments: args }));
    }
    const usage = { total_tokens: 120, input_tokens: 80, output_tokens: 40, input_token_details: { text_tokens: 60, audio_tokens: 20, cached_tokens: 0 }, output_token_details: { text_tokens: 10, audio_tokens: 30 } };
    let i = 0;
    const tick = () => {
      if (conn.closed) return;
      if (response.cancelled) {
        send({ type: 'response.done', response: { id: responseId, object: 'realtime.response', status: 'cancelled', output: [], usage } });
        conn.activeResponse = null;
        return;
      }
      const step = steps[i++];
      if (step) {
        step();
        setTimeout(tick, behaviour.stepMs ?? 2);
        return;
      }
      send({ type: 'response.done', response: { id: responseId, object: 'realtime.response', status: 'completed', output: [], usage } });
      send({ type: 'rate_limits.updated', rate_limits: [{ name: 'requests', limit: 1000, remaining: 999, reset_seconds: 60 }, { name: 'tokens', limit: 50000, remaining: 49880, reset_seconds: 60 }] });
      conn.activeResponse = null;
    };
    tick();
  }
}
