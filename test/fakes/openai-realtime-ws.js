// The server side of an OpenAI Realtime WebSocket session (GA event names and order), enough to drive a relay and a
// client: session.created first; session.update -> session.updated (session.type required); audio buffer
// append/commit/clear with the API's errors; conversation.item.create -> conversation.item.added + .done (GA: not
// conversation.item.created); response.create -> a streamed reply (output item, content part, audio + transcript or
// text deltas, optionally a function call), refused while another response is active; cancel and truncate.
// Behaviour (POST /__fake/realtime): { refuse?: status, dropAfterMs?, reply?, functionCall?, stepMs?, latencyMs? }.
import { randomBytes } from 'node:crypto';

const id = (prefix) => `${prefix}_${randomBytes(8).toString('hex')}`;

export function attachRealtimeSocket(ws, { model, state }) {
  const conn = {
    received: [],
    session: {
      type: 'realtime', object: 'realtime.session', id: id('sess'), model, output_modalities: ['audio'], instructions: '', tools: [],
      audio: { input: { format: { type: 'audio/pcm', rate: 24000 }, turn_detection: { type: 'server_vad', threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 200 } }, output: { format: { type: 'audio/pcm', rate: 24000 }, voice: 'alloy' } },
      tool_choice: 'auto', expires_at: Math.floor(Date.now() / 1000) + 3600,
    },
    bufferedBytes: 0,
    activeResponse: null,
    lastItemId: null,
    closed: false,
    summary() {
      return { received: this.received.map((e) => e.type), session: this.session, events: this.received, closed: this.closed };
    },
  };
  state.realtime.connections.push(conn);
  const behaviour = state.realtime.behaviour;
  let eventSeq = 0;
  const sendNow = (data) => {
    if (ws.readyState === ws.OPEN) ws.send(data);
  };
  // latencyMs stands for the network between a server and OpenAI: every server event leaves that much later, in order.
  const send = (event) => {
    const data = JSON.stringify({ event_id: `event_${++eventSeq}`, ...event });
    if (behaviour.latencyMs) setTimeout(() => sendNow(data), behaviour.latencyMs);
    else sendNow(data);
  };
  const error = (message, code, event_id, param = null) =>
    send({ type: 'error', error: { type: 'invalid_request_error', code, message, param, event_id: event_id ?? null } });
  const addItem = (item) => {
    const previous_item_id = conn.lastItemId;
    conn.lastItemId = item.id;
    conn.lastItemType = item.type;
    send({ type: 'conversation.item.added', previous_item_id, item });
    send({ type: 'conversation.item.done', previous_item_id, item });
  };

  send({ type: 'session.created', session: conn.session });
  if (behaviour.dropAfterMs) setTimeout(() => ws.terminate(), behaviour.dropAfterMs);

  ws.on('message', (data) => {
    let event;
    try {
      event = JSON.parse(String(data));
    } catch {
      return error('We could not parse the JSON body of your request.', 'invalid_json');
    }
    conn.received.push(event);
    switch (event.type) {
      case 'session.update': {
        if (event.session?.type !== 'realtime') return error("Missing required parameter: 'session.type'.", 'missing_required_parameter', event.event_id, 'session.type');
        const { audio, ...rest } = event.session;
        Object.assign(conn.session, rest);
        if (audio) conn.session.audio = { input: { ...conn.session.audio.input, ...audio.input }, output: { ...conn.session.audio.output, ...audio.output } };
        return send({ type: 'session.updated', session: conn.session });
      }
      case 'input_audio_buffer.append': {
        conn.bufferedBytes += Buffer.from(event.audio ?? '', 'base64').length;
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
        send({ type: 'input_audio_buffer.committed', previous_item_id: conn.lastItemId, item_id: itemId });
        addItem({ id: itemId, object: 'realtime.item', type: 'message', role: 'user', status: 'completed', content: [{ type: 'input_audio', transcript: null }] });
        send({ type: 'conversation.item.input_audio_transcription.delta', item_id: itemId, content_index: 0, delta: 'a wolf ' });
        send({ type: 'conversation.item.input_audio_transcription.completed', item_id: itemId, content_index: 0, transcript: 'a wolf on my forearm' });
        return;
      }
      case 'conversation.item.create':
        return addItem({ object: 'realtime.item', status: 'completed', ...event.item, id: event.item?.id ?? id('item') });
      case 'conversation.item.truncate':
        return send({ type: 'conversation.item.truncated', item_id: event.item_id, content_index: event.content_index ?? 0, audio_end_ms: event.audio_end_ms });
      case 'response.cancel':
        if (!conn.activeResponse) return error('Cancellation failed: no active response found.', 'response_cancel_not_active', event.event_id);
        conn.activeResponse.cancelled = true;
        return;
      case 'response.create':
        if (conn.activeResponse) {
          return error(`Conversation already has an active response in progress: ${conn.activeResponse.id}. Wait until the response is finished before creating a new one.`, 'conversation_already_has_active_response', event.event_id);
        }
        return respond(event);
      default:
        return error(`Invalid value: '${event.type}'. Supported values are the client events of the Realtime API.`, 'invalid_value', event.event_id, 'type');
    }
  });
  ws.on('close', () => {
    conn.closed = true;
  });

  function respond(event) {
    const modalities = event.response?.output_modalities ?? conn.session.output_modalities ?? ['audio'];
    const textOnly = !modalities.includes('audio');
    const responseId = id('resp');
    const itemId = id('item');
    const response = { id: responseId, cancelled: false };
    conn.activeResponse = response;
    const reply = behaviour.reply ?? 'A fine-line wolf would look great on your forearm.';
    const words = reply.split(/(?<= )/);
    const where = { response_id: responseId, item_id: itemId, output_index: 0, content_index: 0 };
    const message = (status, content) => ({
      id: itemId, object: 'realtime.item', type: 'message', role: 'assistant', status,
      content: content === null ? [] : [textOnly ? { type: 'output_text', text: content } : { type: 'output_audio', transcript: content }],
    });
    const previous = conn.lastItemId;
    conn.lastItemId = itemId;
    const output = [message('completed', reply)];
    const steps = [];
    steps.push(() => send({ type: 'response.created', response: { id: responseId, object: 'realtime.response', status: 'in_progress', output: [], output_modalities: modalities } }));
    steps.push(() => send({ type: 'response.output_item.added', response_id: responseId, output_index: 0, item: message('in_progress', null) }));
    steps.push(() => send({ type: 'conversation.item.added', previous_item_id: previous, item: message('in_progress', null) }));
    steps.push(() => send({ type: 'response.content_part.added', ...where, part: textOnly ? { type: 'text', text: '' } : { type: 'audio', transcript: '' } }));
    for (const w of words) {
      if (textOnly) steps.push(() => send({ type: 'response.output_text.delta', ...where, delta: w }));
      else {
        steps.push(() => send({ type: 'response.output_audio.delta', ...where, delta: Buffer.alloc(4800).toString('base64') }));
        steps.push(() => send({ type: 'response.output_audio_transcript.delta', ...where, delta: w }));
      }
    }
    if (textOnly) steps.push(() => send({ type: 'response.output_text.done', ...where, text: reply }));
    else {
      steps.push(() => send({ type: 'response.output_audio.done', ...where }));
      steps.push(() => send({ type: 'response.output_audio_transcript.done', ...where, transcript: reply }));
    }
    steps.push(() => send({ type: 'response.content_part.done', ...where, part: textOnly ? { type: 'text', text: reply } : { type: 'audio', transcript: reply } }));
    steps.push(() => send({ type: 'response.output_item.done', response_id: responseId, output_index: 0, item: message('completed', reply) }));
    steps.push(() => send({ type: 'conversation.item.done', previous_item_id: previous, item: message('completed', reply) }));
    // A model calls the tool about what the visitor said, not again about its own tool's answer.
    if (behaviour.functionCall && conn.lastItemType !== 'function_call_output') {
      const callId = id('call');
      const callItemId = id('item');
      const args = JSON.stringify(behaviour.functionCall);
      const fn = (status, a) => ({ id: callItemId, object: 'realtime.item', type: 'function_call', status, call_id: callId, name: 'extract_keywords', arguments: a });
      const at = { response_id: responseId, item_id: callItemId, output_index: 1, call_id: callId };
      steps.push(() => send({ type: 'response.output_item.added', response_id: responseId, output_index: 1, item: fn('in_progress', '') }));
      steps.push(() => send({ type: 'conversation.item.added', previous_item_id: itemId, item: fn('in_progress', '') }));
      steps.push(() => send({ type: 'response.function_call_arguments.delta', ...at, delta: args }));
      steps.push(() => send({ type: 'response.function_call_arguments.done', ...at, name: 'extract_keywords', arguments: args }));
      steps.push(() => send({ type: 'response.output_item.done', response_id: responseId, output_index: 1, item: fn('completed', args) }));
      steps.push(() => send({ type: 'conversation.item.done', previous_item_id: itemId, item: fn('completed', args) }));
      output.push(fn('completed', args));
      conn.lastItemId = callItemId;
    }
    const usage = { total_tokens: 120, input_tokens: 80, output_tokens: 40, input_token_details: { text_tokens: 60, audio_tokens: 20, cached_tokens: 0 }, output_token_details: { text_tokens: 10, audio_tokens: 30 } };
    let i = 0;
    const tick = () => {
      if (conn.closed) return;
      if (response.cancelled) {
        send({ type: 'response.done', response: { id: responseId, object: 'realtime.response', status: 'cancelled', status_details: { type: 'cancelled', reason: 'client_cancelled' }, output: [], usage } });
        conn.activeResponse = null;
        return;
      }
      const step = steps[i++];
      if (step) {
        step();
        setTimeout(tick, behaviour.stepMs ?? 2);
        return;
      }
      send({ type: 'response.done', response: { id: responseId, object: 'realtime.response', status: 'completed', output, output_modalities: modalities, usage } });
      send({ type: 'rate_limits.updated', rate_limits: [{ name: 'requests', limit: 1000, remaining: 999, reset_seconds: 60 }, { name: 'tokens', limit: 50000, remaining: 49880, reset_seconds: 60 }] });
      conn.activeResponse = null;
    };
    tick();
  }
}
