// Interop: OpenAI's own Realtime client (@openai/agents-realtime's WebSocket transport), pointed at the relay of a
// real `wrangler dev`, completes a typed turn with the keyword call: once against the fake OpenAI server, once in
// sandbox mode (no key), as a fresh `npm start` runs. Runs in Node because the relay has to be reached over a socket.
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
async function connectSdk(worker, { ticket, wsUrl, model }) {
  const url = new URL(wsUrl);
  url.searchParams.delete('ticket'); // the ticket travels where the SDK puts a key, not in the URL
  const transport = new OpenAIRealtimeWebSocket({
    createWebSocket: async ({ url: target, apiKey }) =>
      new WebSocket(target, ['realtime', `openai-insecure-api-key.${apiKey}`], { origin: worker.origin }),
  });
  const seen = { events: [], errors: [], calls: [], turns: [], text: '' };
  transport.on('*', (event) => seen.events.push(event));
  transport.on('error', (e) => seen.errors.push(e.error?.error ?? e.error ?? e));
  transport.on('function_call', (call) => seen.calls.push(call));
  transport.on('turn_done', (turn) => seen.turns.push(turn));
  transport.on('output_text_delta', (d) => (seen.text += d.delta));
  await transport.connect({ apiKey: ticket, model, url: url.toString(), initialSessionConfig: { outputModalities: ['text'] } });
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
        body: JSON.stringify({ reply: 'A wolf on the forearm, lovely.', functionCall: { subject: ['wolf'], placement: 'forearm' } }),
      });
      const session = await ticketFor(worker, 'text');
      const { transport, seen } = await connectSdk(worker, session);
      transport.sendMessage('a wolf on my forearm', {});
      await until(() => seen.turns.length === 1 && seen.calls.length === 1, 'the first turn');
      assert.equal(seen.text, 'A wolf on the forearm, lovely.');
      assert.equal(seen.calls[0].name, 'extract_keywords');
      assert.deepEqual(JSON.parse(seen.calls[0].arguments), { subject: ['wolf'], placement: 'forearm' });
      // The SDK's own session.update (model, instructions, turn detection) is refused; the session went on.
      assert.ok(seen.errors.some((e) => e.code === 'session_update_refused'), JSON.stringify(seen.errors));

      transport.sendFunctionCallOutput({ callId: seen.calls[0].callId, name: 'extract_keywords', arguments: seen.calls[0].arguments, type: 'function_call', id: seen.calls[0].id, status: 'completed' }, '{"ok":true}', true);
      await until(() => seen.turns.length === 2, 'the turn after the tool output');
      transport.close();

      const log = await (await fetch(`${fake.url}/__fake/log`)).json();
      const upstream = log.realtime.at(-1);
      assert.equal(upstream.received[0], 'session.update');
      assert.match(upstream.events[0].session.instructions, /Ink & Iron/);
      assert.deepEqual(upstream.session.output_modalities, ['text']);
      assert.deepEqual(upstream.received.slice(1), ['conversation.item.create', 'response.create', 'conversation.item.create', 'response.create']);
      await until(() => fake.state.realtime.connections.at(-1).closed, 'the upstream to close after the client left');
      assert.doesNotMatch(JSON.stringify(seen.events), new RegExp(`${FAKE_OPENAI_KEY}|${session.ticket.replace(/[.]/g, '\\.')}`));
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
      assert.match(seen.text, /^Nice idea: a fine-line rose/);
      assert.match(seen.text, /Black and grey, or in colour\?$/);
      const keywords = JSON.parse(seen.calls[0].arguments);
      assert.deepEqual([keywords.subject, keywords.style, keywords.placement, keywords.size], [['rose'], ['fine-line'], 'wrist', 'small']);
      transport.close();
    } finally {
      await worker.dispose();
    }
  });
});
