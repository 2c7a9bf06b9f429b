// End to end: Chromium drives the demo page (and a blank page on another origin) against `wrangler dev` in sandbox
// mode, as a fresh `npm start` runs: real Worker, real D1 and Durable Objects, the built widget bundle.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { freePort, launchBrowser, startWorker, until } from './support.mjs';

const deep = (selector) => `voice-buddy#inline-widget >>> ${selector}`;

describe('demo page in sandbox mode', () => {
  let worker;
  let browser;
  before(async () => {
    worker = await startWorker();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await worker?.dispose();
  });

  it('types an idea, gets a reply and the keyword call, and draws concepts', async () => {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${worker.url}/`);
    await until(
      page,
      () => document.querySelector('#inline-widget')?.store?.$config.get()?.sandbox === true,
      null,
      'bootstrap did not say sandbox',
    );
    // Sandbox: hands-free is not offered as the default; switch to text with the picker, as a visitor would.
    const select = await page.waitForSelector(deep('[part~="mode-select"]'));
    await select.select('text');
    const input = await page.waitForSelector(deep('[part~="text-input"]'));
    await input.type('A fine-line wolf howling at the moon on my forearm, black and grey');
    await input.press('Enter');
    await until(
      page,
      () => document.querySelector('#inline-widget').transcript.some((e) => e.kind === 'assistant' && e.final),
      null,
      'no assistant reply',
    );
    await until(
      page,
      () => document.querySelector('#inline-widget').store.$keywords.get()?.subject.includes('wolf'),
      null,
      'no extract_keywords call',
    );
    const keywords = await page.evaluate(() => document.querySelector('#inline-widget').store.$keywords.get());
    assert.equal(keywords.placement, 'forearm');
    assert.deepEqual(keywords.style, ['fine-line']);
    const reply = await page.evaluate(() =>
      document
        .querySelector('#inline-widget')
        .transcript.filter((e) => e.kind === 'assistant')
        .map((e) => e.text)
        .join(' '),
    );
    assert.match(reply, /wolf/i);
    // The event log on the demo page saw the widget's events.
    const logged = await page.$$eval('#event-log li', (items) => items.map((li) => li.dataset.type));
    assert.ok(logged.includes('voice-buddy-keywords'), `event log: ${logged.join(', ')}`);

    const generate = await page.waitForSelector(deep('[part~="generate-button"]:not([disabled])'));
    await generate.click();
    await until(
      page,
      () => document.querySelector('#inline-widget').store.$generations.get()[0]?.status === 'done',
      null,
      'generation did not finish',
      20_000,
    );
    const concepts = await page.$$(deep('[part~="concept"] img'));
    assert.equal(concepts.length, 3);
    const alt = await concepts[0].evaluate((img) => img.alt);
    assert.match(alt, /wolf/i);
    assert.deepEqual(errors, []);
    await page.close();
  });
});

describe('the embed on another origin', () => {
  let worker;
  let browser;
  let site;
  let siteOrigin;
  before(async () => {
    worker = await startWorker();
    browser = await launchBrowser();
    const port = await freePort();
    siteOrigin = `http://127.0.0.1:${port}`;
    // A blank partner page with the demo's two lines pasted in (twice on /twice: a page may load the script twice).
    const snippet = `<script src="${worker.url}/voice-buddy.iife.js" async></script>\n<voice-buddy key="pk_partner"></voice-buddy>`;
    site = createServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      const body =
        req.url === '/twice' ? `${snippet}\n<script src="${worker.url}/voice-buddy.iife.js" async></script>` : snippet;
      res.end(`<!doctype html><html lang="en"><head><title>Partner</title></head><body>${body}</body></html>`);
    });
    await new Promise((r) => site.listen(port, '127.0.0.1', r));
    const created = await worker.admin('/admin/tenants', {
      method: 'POST',
      body: JSON.stringify({
        id: 'partner',
        name: 'Partner Shop',
        publishableKey: 'pk_partner',
        allowedOrigins: [siteOrigin],
        branding: { name: 'Partner Ink' },
      }),
    });
    assert.equal(created.status, 201, await created.text());
  });
  after(async () => {
    await browser?.close();
    await new Promise((r) => (site ? site.close(r) : r()));
    await worker?.dispose();
  });

  it('works on an allowed origin, with the script loaded twice', async () => {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${siteOrigin}/twice`);
    await until(
      page,
      () =>
        document.querySelector('voice-buddy')?.store?.$config.get() !== null &&
        document.querySelector('voice-buddy')?.store?.$config.get() !== undefined,
      null,
      'the widget did not start',
    );
    const title = await page.$eval('voice-buddy >>> [part~="title"]', (h) => h.textContent);
    assert.equal(title, 'Partner Ink');
    const sent = await page.evaluate(async () => {
      const el = document.querySelector('voice-buddy');
      el.shadowRoot.querySelector('[part~="mode-select"]').value = 'text';
      el.shadowRoot.querySelector('[part~="mode-select"]').dispatchEvent(new Event('change'));
      return el.sendText('a small rose on my wrist');
    });
    assert.equal(sent, true);
    await until(
      page,
      () => document.querySelector('voice-buddy').transcript.some((e) => e.kind === 'assistant' && e.final),
      null,
      'no reply on the partner page',
    );
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('refuses an origin the tenant does not allow: no CORS for it, a clear hint for the site owner', async () => {
    const page = await browser.newPage();
    const warnings = [];
    page.on('console', (m) => m.type() === 'warn' && warnings.push(m.text()));
    // The same page, but reached as localhost: another origin.
    const foreign = siteOrigin.replace('127.0.0.1', 'localhost');
    await page.goto(foreign);
    await until(
      page,
      () => document.querySelector('voice-buddy')?.store?.$error.get()?.code === 'bootstrap_failed',
      null,
      'no bootstrap error',
    );
    const message = await page.$eval('voice-buddy >>> [part~="error"]', (e) => e.textContent);
    assert.match(message, /could not be reached|could not start/);
    assert.ok(
      warnings.some((w) => w.includes(`add ${foreign} to this site's allowed origins`)),
      warnings.join('\n'),
    );
    // The Worker itself refused it as origin_not_allowed, without CORS headers.
    const res = await fetch(`${worker.url}/v1/bootstrap?key=pk_partner`, { headers: { Origin: foreign } });
    assert.equal(res.status, 403);
    assert.equal((await res.json()).error.code, 'origin_not_allowed');
    assert.equal(res.headers.get('access-control-allow-origin'), null);
    await page.close();
  });
});
