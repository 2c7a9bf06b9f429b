// Hands-free through a Worker-created call, end to end: Chromium on a partner page, the built widget, `wrangler dev`
// with a key, and the fake OpenAI whose WebRTC side is werift (test/fakes/openai-calls.js), so the browser really
// connects over loopback. And the WebRTC fake proven against the reference: @openai/agents-realtime's own WebRTC
// transport, in the same browser, holds a turn against it with no error the real API would not give.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT } from '../../demo/local.mjs';
import { FAKE_OPENAI_KEY, startFakeOpenAI } from '../fakes/openai.js';
import { launchBrowser, startPartnerSite, startWorker, until, watch } from './support.mjs';

async function eventually(check, what, ms = 15_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = await check();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('hands-free through a Worker-created call', { timeout: 240_000 }, () => {
  let fake;
  let worker;
  let browser;
  let site;
  before(async () => {
    fake = await startFakeOpenAI();
    worker = await startWorker({ OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: FAKE_OPENAI_KEY });
    browser = await launchBrowser();
    site = await startPartnerSite(worker, { id: 'handsfree', key: 'pk_handsfree', attributes: 'mode="hands-free"' });
  });
  after(async () => {
    await browser?.close();
    await site?.close();
    await worker?.dispose();
    await fake?.close();
  });

  it('Chromium connects to OpenAI (fake) with no OpenAI credential in the page, talks, and the tool call gets its follow-up', async () => {
    await fetch(`${fake.url}/__fake/realtime`, {
      method: 'POST',
      body: JSON.stringify({
        reply: 'A wolf on the forearm, lovely.',
        functionCall: { subject: ['wolf'], placement: 'forearm' },
      }),
    });
    const page = await browser.newPage();
    const seen = watch(page);
    const bodies = [];
    page.on('response', async (r) => {
      if (r.url().startsWith(worker.url) && r.request().method() === 'POST')
        bodies.push(await r.text().catch(() => ''));
    });
    await page.goto(site.url);
    await until(
      page,
      () => document.querySelector('voice-buddy')?.store?.$config.get()?.modes.includes('webrtc'),
      null,
      'the widget did not offer hands-free',
    );
    await page.evaluate(() => document.querySelector('voice-buddy').connect());
    await until(
      page,
      () => document.querySelector('voice-buddy').status === 'listening',
      null,
      'hands-free did not connect',
    );
    const errorsSoFar = await page.evaluate(() => window.__vbErrors);
    assert.deepEqual(errorsSoFar, [], 'hands-free connected without falling back');
    assert.equal(await page.evaluate(() => document.querySelector('voice-buddy').store.$mode.get()), 'hands-free');

    const call = await eventually(
      () => [...fake.state.calls.values()].find((c) => c.channelOpened && (c.sidebandCount ?? 0) === 1),
      'the call with its data channel open and the sideband attached',
    ).catch((e) => {
      throw new Error(
        `${e.message}: ${JSON.stringify([...fake.state.calls.values()].map((c) => ({ open: c.channelOpened, sidebands: c.sidebandCount, ended: c.ended, hungUp: c.hungUp })))}`,
      );
    });
    assert.match(call.session.session.instructions, /design assistant/);
    assert.deepEqual(
      call.session.session.tools.map((t) => t.name),
      ['extract_keywords', 'generate_concepts'],
    );
    // The visitor speaks; turn detection and the reply run on the call.
    await fetch(`${fake.url}/__fake/calls/${call.id}/speak`, {
      method: 'POST',
      body: JSON.stringify({ text: 'a wolf on my forearm' }),
    });
    await until(
      page,
      () => document.querySelector('voice-buddy').store.$keywords.get()?.subject.includes('wolf'),
      null,
      'no keyword call',
    );
    await until(
      page,
      () =>
        document.querySelector('voice-buddy').transcript.filter((e) => e.kind === 'assistant' && e.final).length >= 2,
      null,
      'no follow-up after the tool output',
    );
    const transcript = await page.evaluate(() =>
      document
        .querySelector('voice-buddy')
        .transcript.filter((e) => e.kind !== 'notice')
        .map((e) => `${e.kind}: ${e.text}`),
    );
    assert.equal(transcript[0], 'user: a wolf on my forearm');
    assert.equal(transcript[1], 'assistant: A wolf on the forearm, lovely.');
    assert.deepEqual(call.session.refusals, [], 'nothing the API would refuse');
    assert.deepEqual(await page.evaluate(() => window.__vbErrors), []);
    assert.deepEqual(seen.consoleErrors ?? [], []);
    // No OpenAI credential of any kind reached the page.
    assert.ok(bodies.length >= 2, 'the session and the call were answered');
    for (const body of bodies) assert.doesNotMatch(body, /ek_|sk-|clientSecret/);
    const created = fake.state.log.filter((r) => r.path === '/v1/realtime/calls').at(-1);
    assert.equal(created.keyOk, true);
    assert.match(created.contentType, /^multipart\/form-data/);

    await page.evaluate(() => document.querySelector('voice-buddy').disconnect());
    await page.close();
  });

  it("the fake's WebRTC side against OpenAI's own WebRTC transport: a turn with no error", async () => {
    await fetch(`${fake.url}/__fake/realtime`, { method: 'POST', body: JSON.stringify({ reply: 'Hello there.' }) });
    const minted = await fetch(`${fake.url}/v1/realtime/client_secrets`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${FAKE_OPENAI_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ session: { type: 'realtime', model: 'gpt-realtime-2.1' } }),
    }).then((r) => r.json());
    const page = await browser.newPage();
    await page.goto(site.url);
    await page.addScriptTag({
      path: join(ROOT, 'node_modules/@openai/agents-realtime/dist/bundle/openai-realtime-agents.umd.js'),
    });
    const result = await page.evaluate(
      async (baseUrl, apiKey) => {
        const { OpenAIRealtimeWebRTC } = window.OpenAIAgentsRealtime;
        const transport = new OpenAIRealtimeWebRTC({ baseUrl, audioElement: document.createElement('audio') });
        const errors = [];
        const turns = [];
        transport.on('error', (e) => errors.push(String(e.error?.error?.code ?? e.error?.message ?? e.error)));
        transport.on('turn_done', () => turns.push(1));
        // connect() resolves once the session.update it sends is acknowledged with session.updated.
        await transport.connect({
          apiKey,
          model: 'gpt-realtime-2.1',
          initialSessionConfig: {
            outputModalities: ['audio'],
            audio: { input: { transcription: { model: 'gpt-transcribe' } } },
          },
        });
        transport.sendMessage('hello', {});
        const deadline = Date.now() + 10_000;
        while (turns.length < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        const callId = transport.callId;
        transport.interrupt();
        await new Promise((r) => setTimeout(r, 200));
        transport.close();
        return { errors, turns: turns.length, callId };
      },
      `${fake.url}/v1/realtime/calls`,
      minted.value,
    );
    assert.deepEqual(result.errors, []);
    assert.equal(result.turns, 1);
    const call = fake.state.calls.get(result.callId);
    assert.ok(call, 'the SDK read the call id from Location');
    assert.deepEqual(call.session.refusals, []);
    assert.ok(call.session.received.some((e) => e.type === 'session.update'));
    await page.close();
  });
});
