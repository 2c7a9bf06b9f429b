// Interop: OpenAI's own Realtime client (@openai/agents-realtime's WebSocket transport), pointed at the relay of a
// real `wrangler dev`, holds text turns with the keyword call and a push-to-talk audio turn with zero error events:
// against the strict fake OpenAI server, and in sandbox mode (no key), as a fresh `npm start` runs. Runs in Node
// because the relay has to be reached over a socket.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OpenAIRealtimeWebSocket } from '@openai/agents-realtime';
import { WebSocket } from 'ws';
import { startWorker } from './support.mjs';
import { FAKE_OPENAI_KEY, startFakeOpenAI } from '../fakes/openai.js';

/** A Worker on its own port and its own local state, stopped (by PID) and removed at the end. */
const startWorkerWith = (vars) => startWorker({ TICKET_SECRET: 'interop-ticket-secret', ...vars });

async function ticketFor(worker, mode) {
  const res = await fetch(`${worker.url}/v1/realtime/session`, {
    method: 'POST',
    headers: { 'X-Voice-Buddy-Key': 'pk_demo', Origin: worker.origin, 'Content-Type': 'application/json' },
    body: JSON.stringify({ mode }),
  });
  assert.equal(res.status, 201, await res.clone().text());
  return res.json();
}

/**
 * Connects the SDK's transport the way it connects in a browser: the key (our ticket) in the
 * `openai-insecure-api-key.` subprotocol, plus the page's Origin that a browser adds by itself.
 */
async function connectSdk(worker, { ticket, wsUrl, model }, initialSessionConfig = { outputModalities: ['text'] }) {
  const url = new URL(wsUrl);
  url.searchParams.delete('ticket'); // the ticket travels where the SDK puts a key, not in the URL
  const transport = new OpenAIRealtimeWebSocket({
    createWebSocket: async ({ url: target, apiKey }) =>
      new WebSocket(target, ['realtime', `openai-insecure-api-key.${apiKey}`], { origin: worker.origin }),
  });
  const seen = { events: [], errors: [], calls: [], turns: [], text: '', audio: 0 };
  transport.on('*', (event) => seen.events.push(event));
  transport.on('error', (e) => seen.errors.push(e.error?.error ?? e.error ?? e));
  transport.on('function_call', (call) => seen.calls.push(call));
  transport.on('turn_done', (turn) => seen.turns.push(turn));
  transport.on('output_text_delta', (d) => (seen.text += d.delta));
  transport.on('audio', (a) => (seen.audio += a.data.byteLength));
  await transport.connect({ apiKey: ticket, model, url: url.toString(), initialSessionConfig });
  return { transport, seen };
}

async function until(check, what, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('relay interop with @openai/agents-realtime', { timeout: 240_000 }, () => {
  let fake;
  before(async () => {
    fake = await startFakeOpenAI();
  });
  after(async () => {
    await fake?.close();
  });

  it('completes a turn with a function call against OpenAI (fake) through the relay', async () => {
    const worker = await startWorkerWith({ OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: FAKE_OPENAI_KEY });
    try {
      await fetch(`${fake.url}/__fake/realtime`, {
        method: 'POST',
        body: JSON.stringify({
          reply: 'A wolf on the forearm, lovely.',
          functionCall: { subject: ['wolf'], placement: 'forearm' },
        }),
      });
      const session = await ticketFor(worker, 'text');
      const { transport, seen } = await connectSdk(worker, session);
      transport.sendMessage('a wolf on my forearm', {});
      await until(() => seen.turns.length === 1 && seen.calls.length === 1, 'the first turn');
      assert.equal(seen.text, 'A wolf on the forearm, lovely.');
      assert.equal(seen.calls[0].name, 'extract_keywords');
      assert.deepEqual(JSON.parse(seen.calls[0].arguments), { subject: ['wolf'], placement: 'forearm' });

      transport.sendFunctionCallOutput(
        {
          callId: seen.calls[0].callId,
          name: 'extract_keywords',
          arguments: seen.calls[0].arguments,
          type: 'function_call',
          id: seen.calls[0].id,
          status: 'completed',
        },
        '{"ok":true}',
        true,
      );
      await until(() => seen.turns.length === 2, 'the turn after the tool output');
      transport.sendMessage('make it small', {});
      await until(() => seen.turns.length === 3, 'the second typed turn');
      // The SDK's own session.update (model, tool_choice, tracing) lost only what a client may not set.
      assert.deepEqual(seen.errors, []);
      transport.close();

      const log = await (await fetch(`${fake.url}/__fake/log`)).json();
      const upstream = log.realtime.at(-1);
      assert.deepEqual(upstream.refusals, [], 'nothing the real API would refuse reached it');
      assert.equal(upstream.received[0], 'session.update');
      assert.match(upstream.events[0].session.instructions, /Ink & Iron/);
      assert.deepEqual(upstream.session.output_modalities, ['text']);
      assert.equal(upstream.session.tool_choice, 'auto');
      assert.deepEqual(
        upstream.session.tools.map((t) => t.name),
        ['extract_keywords', 'generate_concepts'],
      );
      const fromSdk = upstream.events.slice(1).filter((e) => e.type === 'session.update');
      assert.ok(fromSdk.length >= 1, 'the SDK configured the session');
      for (const e of fromSdk)
        for (const key of ['model', 'instructions', 'tools', 'tool_choice', 'tracing', 'prompt'])
          assert.ok(!(key in e.session), `${key} was stripped`);
      assert.deepEqual(
        upstream.received.filter((t) => t !== 'session.update'),
        [
          'conversation.item.create',
          'response.create',
          'conversation.item.create',
          'response.create',
          'conversation.item.create',
          'response.create',
        ],
      );
      await until(() => fake.state.realtime.connections.at(-1).closed, 'the upstream to close after the client left');
      assert.doesNotMatch(
        JSON.stringify(seen.events),
        new RegExp(`${FAKE_OPENAI_KEY}|${session.ticket.replace(/[.]/g, '\\.')}`),
      );

      // Push-to-talk audio from the SDK, with its own turn detection (none) and a transcription model.
      await fetch(`${fake.url}/__fake/realtime`, {
        method: 'POST',
        body: JSON.stringify({ reply: 'A koi, lovely.', transcript: 'a koi on my back' }),
      });
      const voice = await ticketFor(worker, 'websocket');
      const sdk = await connectSdk(worker, voice, {
        outputModalities: ['audio'],
        audio: { input: { turnDetection: null, transcription: { model: 'gpt-transcribe' } } },
      });
      sdk.transport.sendEvent({ type: 'input_audio_buffer.clear' });
      for (let i = 0; i < 15; i++) sdk.transport.sendAudio(new Uint8Array(40 * 48).buffer);
      sdk.transport.sendEvent({ type: 'input_audio_buffer.commit' });
      sdk.transport.requestResponse();
      await until(() => sdk.seen.turns.length === 1 && sdk.seen.audio > 0, 'the spoken turn');
      await until(
        () => sdk.seen.events.some((e) => e.type === 'conversation.item.retrieved'),
        'the retrieve the SDK sends after a transcript',
      );
      assert.deepEqual(sdk.seen.errors, []);
      sdk.transport.close();
      const audioUpstream = (await (await fetch(`${fake.url}/__fake/log`)).json()).realtime.at(-1);
      assert.deepEqual(audioUpstream.refusals, []);
      assert.equal(audioUpstream.session.audio.input.turn_detection, null);
      assert.ok(audioUpstream.received.includes('conversation.item.retrieve'));
    } finally {
      await worker.dispose();
    }
  });

  it('completes a turn in sandbox mode, with the keyword call from the local extractor', async () => {
    const worker = await startWorkerWith({ OPENAI_API_KEY: '' });
    try {
      const session = await ticketFor(worker, 'text');
      assert.equal(session.sandbox, true);
      const { transport, seen } = await connectSdk(worker, session);
      transport.sendMessage('a small fine-line rose on my wrist', {});
      await until(() => seen.turns.length === 1 && seen.calls.length === 1, 'the sandbox turn');
      assert.deepEqual(seen.errors, []);
      assert.match(seen.text, /^Nice idea: a fine-line rose/);
      assert.match(seen.text, /Black and grey, or in colour\?$/);
      const keywords = JSON.parse(seen.calls[0].arguments);
      assert.deepEqual(
        [keywords.subject, keywords.style, keywords.placement, keywords.size],
        [['rose'], ['fine-line'], 'wrist', 'small'],
      );
      transport.close();
    } finally {
      await worker.dispose();
    }
  });
});
