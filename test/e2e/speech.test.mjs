// End to end: spoken replies. A partner page on another origin embeds the widget with the README's two lines; the
// Worker runs under `wrangler dev` in sandbox mode (the built-in responder writes the replies) with the fake
// ElevenLabs (test/fakes/elevenlabs.js) as its TTS provider. With the `tts` flag on for the tenant, text mode
// speaks each reply through POST /v1/tts; for a tenant the flag leaves out, it stays silent text.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { FAKE_ELEVENLABS_KEY, startFakeElevenLabs } from '../fakes/elevenlabs.js';
import { freePort, launchBrowser, startWorker, until } from './support.mjs';

describe('spoken replies on a partner page of another origin', () => {
  let worker;
  let browser;
  let site;
  let siteOrigin;
  let elevenlabs;
  const fakeLog = async () =>
    (await (await fetch(`${elevenlabs.url}/__fake/log`)).json()).requests.filter((r) =>
      r.path.startsWith('/v1/text-to-speech/'),
    );

  before(async () => {
    // ElevenLabs streams its first audio after a moment, then the rest while it synthesises.
    elevenlabs = await startFakeElevenLabs({ firstByteMs: 80, chunkBytes: 1024, chunkDelayMs: 10 });
    worker = await startWorker({ ELEVENLABS_API_KEY: FAKE_ELEVENLABS_KEY, ELEVENLABS_BASE_URL: elevenlabs.url });
    browser = await launchBrowser();
    const port = await freePort();
    siteOrigin = `http://127.0.0.1:${port}`;
    // The README's embed, as a partner pastes it.
    site = createServer((req, res) => {
      const key = new URL(req.url, siteOrigin).searchParams.get('key') ?? 'pk_speaker';
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end(`<!doctype html><html lang="en"><head><title>Partner</title></head><body>
<script src="${worker.url}/voice-buddy.iife.js" async></script>
<voice-buddy key="${key}"></voice-buddy>
</body></html>`);
    });
    await new Promise((r) => site.listen(port, '127.0.0.1', r));
    for (const [id, key] of [
      ['speaker', 'pk_speaker'],
      ['quiet', 'pk_quiet'],
    ]) {
      const res = await worker.admin('/admin/tenants', {
        method: 'POST',
        body: JSON.stringify({
          id,
          name: `Studio ${id}`,
          publishableKey: key,
          allowedOrigins: [siteOrigin],
          allowedModes: ['websocket', 'text'],
        }),
      });
      assert.equal(res.status, 201, await res.text());
    }
    // The rollout: `tts` on for the tenant `speaker` only.
    const flag = await worker.admin('/admin/flags/bulk', {
      method: 'POST',
      body: JSON.stringify({
        changes: [{ key: 'tts', enabled: true, rollout: 0, tenants: ['speaker'] }],
        note: 'e2e: speech for one tenant',
      }),
    });
    assert.equal(flag.status, 200, await flag.text());
  });
  after(async () => {
    await browser?.close();
    await new Promise((r) => (site ? site.close(r) : r()));
    await worker?.dispose();
    await elevenlabs?.close();
  });

  /** Opens the partner page, switches to text with the mode picker as a visitor would, and types a message. */
  async function converse(page, key, message) {
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${siteOrigin}/?key=${key}`);
    await until(
      page,
      () => Boolean(document.querySelector('voice-buddy')?.store?.$config.get()),
      null,
      'the widget did not start',
    );
    await page.evaluate(() => {
      window.speech = [];
      document.querySelector('voice-buddy').addEventListener('voice-buddy-speech', (e) => window.speech.push(e.detail));
    });
    const select = await page.waitForSelector('voice-buddy >>> [part~="mode-select"]');
    await select.select('text');
    const input = await page.waitForSelector('voice-buddy >>> [part~="text-input"]');
    await input.type(message);
    await input.press('Enter');
    await until(
      page,
      () => document.querySelector('voice-buddy').transcript.some((e) => e.kind === 'assistant' && e.final),
      null,
      'no assistant reply',
    );
    return errors;
  }

  it('speaks the reply with the tts flag on: ElevenLabs through the Worker, played in the page', async () => {
    const page = await browser.newPage();
    const errors = await converse(page, 'pk_speaker', 'A fine-line wolf howling at the moon on my forearm');
    assert.ok(await page.$('voice-buddy >>> [part~="speech-button"]'), 'the speech button is offered');
    await until(page, () => window.speech.some((e) => e.type === 'started'), null, 'speech did not start');
    await until(page, () => window.speech.some((e) => e.type === 'ended'), null, 'speech did not end', 30_000);
    const events = await page.evaluate(() => window.speech);
    assert.deepEqual(events, [{ type: 'started' }, { type: 'ended', reason: 'finished' }]);

    const reply = await page.evaluate(() =>
      document
        .querySelector('voice-buddy')
        .transcript.filter((e) => e.kind === 'assistant')
        .map((e) => e.text)
        .join(' '),
    );
    const requests = await fakeLog();
    assert.ok(requests.length >= 1);
    for (const r of requests) {
      assert.equal(r.stream, true, 'the stream endpoint');
      assert.equal(r.keyOk, true, 'with the server key');
      assert.equal(r.body.model_id, 'eleven_multilingual_v2');
      // No voice configured anywhere: one the account lists, never the retired "Rachel".
      assert.equal(r.voiceId, 'EXAVITQu4vr4xnSDxMaL');
    }
    // Everything the visitor read was spoken, in order, starting with the first sentence on its own.
    const norm = (s) => s.replace(/\s+/g, ' ').trim();
    assert.equal(norm(requests.map((r) => r.body.text).join(' ')), norm(reply));
    assert.ok(/[.!?]$/.test(requests[0].body.text), `the first request is one sentence: ${requests[0].body.text}`);
    // The characters were counted for the tenant.
    const usage = await (await worker.admin('/admin/usage?tenant=speaker')).json();
    assert.equal(
      usage.usage[0].ttsCharacters.used,
      requests.reduce((n, r) => n + [...r.body.text].length, 0),
    );
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('stays silent text for a tenant the flag leaves out: no button, nothing asked of ElevenLabs', async () => {
    const before = (await fakeLog()).length;
    const page = await browser.newPage();
    const errors = await converse(page, 'pk_quiet', 'A small rose on my wrist');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(await page.$('voice-buddy >>> [part~="speech-button"]'), null);
    assert.deepEqual(await page.evaluate(() => window.speech), []);
    assert.equal((await fakeLog()).length, before);
    const scripts = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .map((e) => e.name)
        .filter((n) => n.includes('speech')),
    );
    assert.deepEqual(scripts, [], 'the speech chunk is not even downloaded');
    // And the Worker refuses the route itself for this tenant.
    const refused = await page.evaluate(async (url) => {
      const res = await fetch(`${url}/v1/tts`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Voice-Buddy-Key': 'pk_quiet' },
        body: JSON.stringify({ text: 'Hello.' }),
      });
      return { status: res.status, code: (await res.json()).error.code };
    }, worker.url);
    assert.deepEqual(refused, { status: 403, code: 'feature_disabled' });
    assert.deepEqual(errors, []);
    await page.close();
  });
});
