// The fake OpenAI Realtime server, proven against the reference: OpenAI's own client (@openai/agents-realtime) runs
// text turns, a tool call, push-to-talk audio and an interruption against it and gets no error the real API would
// not give; and everything the real API refuses, the fake refuses too (each refusal is a test of its own).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OpenAIRealtimeWebSocket } from '@openai/agents-realtime';
import { WebSocket } from 'ws';
import { FAKE_OPENAI_KEY, startFakeOpenAI } from '../fakes/openai.js';

async function until(check, what, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The SDK's WebSocket transport, as a server would use it (Authorization header), straight at the fake. */
async function sdk(fake, initialSessionConfig) {
  const transport = new OpenAIRealtimeWebSocket({
    url: `${fake.url.replace('http', 'ws')}/v1/realtime?model=gpt-realtime-2.1`,
  });
  const seen = { events: [], errors: [], calls: [], turns: [], text: '', audio: 0 };
  transport.on('*', (e) => seen.events.push(e));
  transport.on('error', (e) => seen.errors.push(e.error?.error ?? e.error ?? e));
  transport.on('function_call', (c) => seen.calls.push(c));
  transport.on('turn_done', (t) => seen.turns.push(t));
  transport.on('output_text_delta', (d) => (seen.text += d.delta));
  transport.on('audio', (a) => (seen.audio += a.data.byteLength));
  await transport.connect({ apiKey: FAKE_OPENAI_KEY, model: 'gpt-realtime-2.1', initialSessionConfig });
  return { transport, seen };
}

/** A raw socket to the fake, for the refusals: sends events and collects what comes back. */
async function raw(fake, { model = 'gpt-realtime-2.1', key = FAKE_OPENAI_KEY } = {}) {
  const ws = new WebSocket(`${fake.url.replace('http', 'ws')}/v1/realtime?model=${model}`, {
    headers: { Authorization: `Bearer ${key}` },
  });
  const events = [];
  ws.on('message', (d) => events.push(JSON.parse(String(d))));
  const closed = new Promise((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('unexpected-response', (_req, res) =>
      reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })),
    );
    ws.once('error', reject);
  });
  await until(() => events.some((e) => e.type === 'session.created' || e.type === 'error'), 'session.created');
  const send = (e) => ws.send(JSON.stringify(e));
  const errorFor = async (eventId) => {
    await until(
      () => events.some((e) => e.type === 'error' && e.error.event_id === eventId),
      `an error for ${eventId}`,
    );
    return events.find((e) => e.type === 'error' && e.error.event_id === eventId).error;
  };
  return { ws, events, send, errorFor, closed };
}

const pcm = (ms) => new Uint8Array(ms * 48).buffer;
const b64 = (ms) => Buffer.alloc(ms * 48).toString('base64');

describe('the fake OpenAI Realtime server against the official client', { timeout: 120_000 }, () => {
  let fake;
  before(async () => {
    fake = await startFakeOpenAI();
  });
  after(async () => {
    await fake?.close();
  });
  const behave = (b) => fetch(`${fake.url}/__fake/realtime`, { method: 'POST', body: JSON.stringify(b) });

  it('text turns and a tool call: no error at all', async () => {
    await behave({ reply: 'A wolf, lovely.', functionCall: { subject: ['wolf'] } });
    const { transport, seen } = await sdk(fake, {
      outputModalities: ['text'],
      audio: { input: { transcription: { model: 'gpt-transcribe', language: 'en' } } },
    });
    transport.sendMessage('a wolf on my forearm', {});
    await until(() => seen.turns.length === 1 && seen.calls.length === 1, 'the first turn');
    // The SDK answers the call and asks for a response right away; its sequencer holds the create until done.
    transport.sendFunctionCallOutput(
      { ...seen.calls[0], type: 'function_call', status: 'completed' },
      '{"ok":true}',
      true,
    );
    await until(() => seen.turns.length === 2, 'the turn after the tool output');
    transport.sendMessage('make it small', {});
    await until(() => seen.turns.length === 3, 'the third turn');
    assert.deepEqual(seen.errors, []);
    assert.equal(seen.text, 'A wolf, lovely.'.repeat(3));
    transport.close();
  });

  it('push-to-talk audio with an interruption: transcription after the reply starts, retrieve and truncate accepted', async () => {
    await behave({
      reply: 'A wolf on the forearm would look great with fine lines.',
      stepMs: 15,
      transcript: 'a wolf on my forearm',
    });
    const { transport, seen } = await sdk(fake, {
      outputModalities: ['audio'],
      audio: { input: { turnDetection: null, transcription: { model: 'gpt-transcribe' } } },
    });
    transport.sendEvent({ type: 'input_audio_buffer.clear' });
    for (let i = 0; i < 15; i++) transport.sendAudio(pcm(40));
    transport.sendEvent({ type: 'input_audio_buffer.commit' });
    transport.requestResponse();
    await until(() => seen.audio > 0, 'the reply audio');
    const types = seen.events.map((e) => e.type);
    assert.ok(
      types.indexOf('response.created') < types.indexOf('conversation.item.input_audio_transcription.completed'),
      'the transcript comes after the reply started',
    );
    transport.interrupt(); // the visitor talks over the reply: cancel and truncate to what was played
    await until(() => seen.turns.length === 1, 'the cancelled turn');
    await until(
      () => seen.events.some((e) => e.type === 'conversation.item.retrieved'),
      'the SDK retrieves the transcribed item',
    );
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(seen.errors, []);
    const sent = fake.state.realtime.connections.at(-1).received.map((e) => e.type);
    assert.ok(sent.includes('conversation.item.truncate') || sent.includes('response.cancel'), sent.join(', '));
    transport.close();
  });

  it('refuses a second response while one is active, and a cancel with none', async () => {
    await behave({ stepMs: 20 });
    const c = await raw(fake);
    c.send({
      type: 'conversation.item.create',
      item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] },
    });
    c.send({ type: 'response.create', event_id: 'r1' });
    c.send({ type: 'response.create', event_id: 'r2' });
    assert.equal((await c.errorFor('r2')).code, 'conversation_already_has_active_response');
    await until(() => c.events.some((e) => e.type === 'response.done'), 'response.done');
    c.send({ type: 'response.cancel', event_id: 'c1' });
    assert.equal((await c.errorFor('c1')).code, 'response_cancel_not_active');
    c.ws.close();
  });

  it('refuses unknown session keys, a model change, and a voice change once the assistant has spoken', async () => {
    await behave({});
    const c = await raw(fake);
    c.send({ type: 'session.update', event_id: 'u1', session: { type: 'realtime', modalities: ['text'] } });
    assert.equal((await c.errorFor('u1')).param, 'session.modalities');
    c.send({ type: 'session.update', event_id: 'u2', session: { type: 'realtime', audio: { input: { vad: true } } } });
    assert.equal((await c.errorFor('u2')).code, 'unknown_parameter');
    c.send({ type: 'session.update', event_id: 'u3', session: { type: 'realtime', model: 'gpt-realtime-2.1-mini' } });
    assert.equal((await c.errorFor('u3')).param, 'session.model');
    c.send({ type: 'session.update', event_id: 'u4', session: { model: 'gpt-realtime-2.1' } });
    assert.equal((await c.errorFor('u4')).param, 'session.type');
    c.send({
      type: 'session.update',
      event_id: 'ok1',
      session: { type: 'realtime', audio: { output: { voice: 'marin' } } },
    });
    await until(() => c.events.some((e) => e.type === 'session.updated'), 'a voice change before any audio is fine');
    c.send({
      type: 'conversation.item.create',
      item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] },
    });
    c.send({ type: 'response.create' });
    await until(() => c.events.some((e) => e.type === 'response.done'), 'response.done');
    c.send({
      type: 'session.update',
      event_id: 'u5',
      session: { type: 'realtime', audio: { output: { voice: 'cedar' } } },
    });
    assert.equal((await c.errorFor('u5')).code, 'cannot_update_voice');
    c.ws.close();
  });

  it('refuses a truncation past the audio it produced, an empty commit, and output_audio_buffer.clear over a WebSocket', async () => {
    await behave({ reply: 'one two' });
    const c = await raw(fake);
    c.send({ type: 'input_audio_buffer.append', audio: b64(50) });
    c.send({ type: 'input_audio_buffer.commit', event_id: 'k1' });
    assert.equal((await c.errorFor('k1')).code, 'input_audio_buffer_commit_empty');
    c.send({
      type: 'conversation.item.create',
      item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] },
    });
    c.send({ type: 'response.create' });
    await until(() => c.events.some((e) => e.type === 'response.done'), 'response.done');
    const item = c.events.find((e) => e.type === 'response.output_item.done').item;
    c.send({
      type: 'conversation.item.truncate',
      event_id: 't1',
      item_id: item.id,
      content_index: 0,
      audio_end_ms: 5000,
    });
    assert.equal((await c.errorFor('t1')).param, 'audio_end_ms');
    c.send({
      type: 'conversation.item.truncate',
      event_id: 't2',
      item_id: item.id,
      content_index: 0,
      audio_end_ms: 150,
    });
    await until(() => c.events.some((e) => e.type === 'conversation.item.truncated'), 'a truncation within the audio');
    c.send({ type: 'output_audio_buffer.clear', event_id: 'o1' });
    assert.equal((await c.errorFor('o1')).param, 'type');
    c.send({
      type: 'conversation.item.create',
      event_id: 'f1',
      item: { type: 'function_call_output', call_id: 'call_nope', output: '{}' },
    });
    assert.equal((await c.errorFor('f1')).param, 'item.call_id');
    c.ws.close();
  });

  it('places items by previous_item_id, and user transcripts after the reply has started', async () => {
    await behave({ reply: 'Sure.', transcriptAfter: 'response.done', transcript: 'hello there' });
    const c = await raw(fake);
    c.send({
      type: 'session.update',
      session: {
        type: 'realtime',
        audio: { input: { turn_detection: null, transcription: { model: 'gpt-transcribe' } } },
      },
    });
    c.send({ type: 'input_audio_buffer.append', audio: b64(300) });
    c.send({ type: 'input_audio_buffer.commit' });
    c.send({ type: 'response.create' });
    await until(
      () => c.events.some((e) => e.type === 'conversation.item.input_audio_transcription.completed'),
      'the transcript',
    );
    const types = c.events.map((e) => e.type);
    assert.ok(types.indexOf('response.done') < types.indexOf('conversation.item.input_audio_transcription.completed'));
    const committed = c.events.find((e) => e.type === 'input_audio_buffer.committed');
    const assistantAdded = c.events.find((e) => e.type === 'conversation.item.added' && e.item.role === 'assistant');
    assert.equal(assistantAdded.previous_item_id, committed.item_id);
    c.send({
      type: 'conversation.item.create',
      previous_item_id: 'root',
      item: { id: 'item_first', type: 'message', role: 'system', content: [{ type: 'input_text', text: 'brief' }] },
    });
    await until(
      () => c.events.some((e) => e.type === 'conversation.item.added' && e.item.id === 'item_first'),
      'the root item',
    );
    assert.equal(
      c.events.find((e) => e.type === 'conversation.item.added' && e.item.id === 'item_first').previous_item_id,
      null,
    );
    c.send({ type: 'conversation.item.retrieve', event_id: 'g1', item_id: 'item_nope' });
    assert.equal((await c.errorFor('g1')).code, 'item_not_found');
    c.ws.close();
  });

  it('refuses retired models by date, an expired ephemeral key, and ends a session at its maximum duration', async () => {
    await behave({ today: '2027-03-01' });
    const retired = await raw(fake, { model: 'gpt-realtime' });
    assert.equal(retired.events[0].error.code, 'model_not_found');
    await retired.closed;
    const ok = await raw(fake, { model: 'gpt-realtime-2.1' });
    assert.equal(ok.events[0].type, 'session.created');
    ok.send({
      type: 'session.update',
      event_id: 'm1',
      session: { type: 'realtime', audio: { input: { transcription: { model: 'whisper-1' } } } },
    });
    assert.equal((await ok.errorFor('m1')).code, 'model_not_found', 'transcription models retire too (2027-02-26)');
    ok.send({
      type: 'session.update',
      event_id: 'm2',
      session: {
        type: 'realtime',
        audio: { input: { transcription: { model: 'gpt-transcribe', keywords: ['koi'] } } },
      },
    });
    await until(
      () => ok.events.some((e) => e.type === 'session.updated'),
      'a current transcription model with keywords',
    );
    ok.ws.close();

    await behave({});
    const minted = await fetch(`${fake.url}/v1/realtime/client_secrets`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${FAKE_OPENAI_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        expires_after: { anchor: 'created_at', seconds: 10 },
        session: { type: 'realtime', model: 'gpt-realtime-2.1' },
      }),
    }).then((r) => r.json());
    const first = await raw(fake, { key: minted.value });
    const second = await raw(fake, { key: minted.value });
    assert.equal(second.events[0].type, 'session.created', 'one key opens several sessions until it expires');
    first.ws.close();
    second.ws.close();
    fake.state.ephemeralKeys.get(minted.value).expiresAt = Math.floor(Date.now() / 1000) - 1;
    await assert.rejects(raw(fake, { key: minted.value }), (e) => e.status === 401);

    await behave({ sessionMaxMs: 200 });
    const short = await raw(fake);
    assert.equal(await short.closed, 1000);
    assert.equal(short.events.at(-1).error.code, 'session_expired');
  });
});
