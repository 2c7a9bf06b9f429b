// End to end, issue 17 ("a lighter start-up"): the built IIFE on a partner's page (another origin than the Worker)
// renders its first screen without the conversation's machinery; the machinery's chunk is fetched only when the
// visitor acts (Start pressed, or hovered: the intent that prewarms). A chunk that cannot be fetched is the widget's
// own error (code `load_failed`, Retry offered), and Retry fetches it again and connects.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, startPartnerSite, startWorker, until, watch } from './support.mjs';

const MACHINERY = /\/chunks\/voice-buddy-conversation\.lazy-[\w-]+\.js$/;
const status = (page) => page.evaluate(() => document.querySelector('voice-buddy').status);
const started = (page) =>
  until(page, () => document.querySelector('voice-buddy')?.store?.$config.get(), null, 'the widget did not start');

describe('start-up without the conversation machinery (sandbox server)', () => {
  let worker;
  let browser;
  let site;
  let german;
  before(async () => {
    worker = await startWorker();
    browser = await launchBrowser();
    site = await startPartnerSite(worker, { id: 'startup', key: 'pk_startup', branding: { name: 'Startup Ink' } });
    german = await startPartnerSite(worker, { id: 'startup-de', key: 'pk_startup_de', attributes: 'lang="de"' });
  });
  after(async () => {
    await browser?.close();
    await site?.close();
    await german?.close();
    await worker?.dispose();
  });

  it('shows the first screen without fetching the machinery; pressing Start fetches it once and connects', async () => {
    const page = await browser.newPage();
    const seen = watch(page);
    await page.goto(site.url);
    await started(page);
    await page.waitForSelector('voice-buddy >>> [part~="connect-button"]:not([disabled])');
    // Long enough for anything the first screen would fetch by itself (language, telemetry) to have been asked for.
    await new Promise((r) => setTimeout(r, 500));
    const early = seen.loaded.filter((u) => MACHINERY.test(u));
    assert.equal(early.length, 0, `fetched before the visitor acted:\n${seen.loaded.join('\n')}`);
    assert.equal(await status(page), 'idle');

    await page.$eval('voice-buddy >>> [part~="connect-button"]', (b) => b.click());
    await until(page, () => document.querySelector('voice-buddy').status === 'listening', null, 'did not connect');
    assert.equal(seen.loaded.filter((u) => MACHINERY.test(u)).length, 1, seen.loaded.join('\n'));
    assert.deepEqual(await seen.problems(), []);
    await page.close();
  });

  it('hovering Start (the intent that prewarms) fetches the machinery ahead of the click', async () => {
    const page = await browser.newPage();
    const seen = watch(page);
    await page.goto(site.url);
    await started(page);
    await (await page.waitForSelector('voice-buddy >>> [part~="connect-button"]:not([disabled])')).hover();
    const deadline = Date.now() + 10_000;
    while (!seen.loaded.some((u) => MACHINERY.test(u))) {
      assert.ok(Date.now() < deadline, `hover did not fetch the machinery:\n${seen.loaded.join('\n')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(await status(page), 'idle', 'a hover does not start anything the visitor can see');
    assert.deepEqual(await seen.problems(), []);
    await page.close();
  });

  it('a German widget loads its catalogue by the chunk map, and the conversation speaks German too', async () => {
    const page = await browser.newPage();
    const seen = watch(page);
    await page.goto(german.url);
    await started(page);
    await until(
      page,
      () => {
        const button = document.querySelector('voice-buddy').shadowRoot.querySelector('[part~="connect-button"]');
        return button?.textContent.trim() === 'Chat starten';
      },
      null,
      'no German first screen',
    );
    assert.ok(
      seen.loaded.some((u) => /\/chunks\/voice-buddy-de\.lazy-[\w-]+\.js$/.test(u)),
      seen.loaded.join('\n'),
    );
    await page.$eval('voice-buddy >>> [part~="connect-button"]', (b) => b.click());
    await until(page, () => document.querySelector('voice-buddy').status === 'listening', null, 'did not connect');
    // The machinery's English arrived for the page; the widget still shows its own language.
    const pill = await page.$eval('voice-buddy >>> voice-buddy-status-pill >>> [part~="pill"]', (p) =>
      p.textContent.trim(),
    );
    assert.doesNotMatch(pill, /status\.|Listening/);
    // The design parts, loaded by the IIFE from the chunks, fetch the German keyword labels next to themselves.
    await page.evaluate(() => {
      const k = { subject: ['wolf'], elements: [], style: ['fine-line'], colors: [], placement: 'forearm' };
      const keywords = { ...k, size: null, mood: [], lettering: null, exclude: [] };
      document.querySelector('voice-buddy').store.$keywords.set(keywords);
    });
    // Runs in the page (serialised): it names nothing outside itself.
    const chipTexts = () =>
      [
        ...(document
          .querySelector('voice-buddy')
          .shadowRoot.querySelector('voice-buddy-keyword-chips')
          ?.shadowRoot?.querySelectorAll('[part~="chip-edit"]') ?? []),
      ].map((c) => c.textContent.trim());
    await until(page, `(${chipTexts})().includes('Unterarm')`, null, 'no German keyword labels');
    assert.deepEqual(await page.evaluate(chipTexts), ['wolf', 'Fineline', 'Unterarm']);
    assert.ok(
      seen.loaded.some((u) => /\/chunks\/voice-buddy-de-labels-[\w-]+\.js$/.test(u)),
      seen.loaded.join('\n'),
    );
    assert.deepEqual(await seen.problems(), []);
    await page.close();
  });

  it('a machinery chunk that does not arrive is a coded error with Retry; Retry fetches it and connects', async () => {
    const page = await browser.newPage();
    let refuse = true;
    const requested = [];
    await page.setRequestInterception(true);
    page.on('request', (req) => {
      if (req.isInterceptResolutionHandled()) return;
      if (!MACHINERY.test(req.url())) return void req.continue();
      requested.push(req.url());
      if (refuse) return void req.abort('internetdisconnected');
      return void req.continue();
    });
    await page.evaluateOnNewDocument(() => {
      window.__vbErrors = [];
      document.addEventListener('voice-buddy-error', (e) => window.__vbErrors.push(e.detail));
    });
    await page.goto(site.url);
    await started(page);

    await page.$eval('voice-buddy >>> [part~="connect-button"]', (b) => b.click());
    const reached = (want) => document.querySelector('voice-buddy').status === want;
    await until(page, reached, 'error', 'no error for the missing chunk');
    const errors = await page.evaluate(() => window.__vbErrors);
    assert.deepEqual(
      errors.map((e) => e.code),
      ['load_failed'],
    );
    // The visitor reads a sentence (network_error's words), not the browser's "Failed to fetch dynamically imported
    // module".
    assert.equal(errors[0].message, 'The assistant could not be reached. Check your connection and try again.');
    const shown = await page.$eval('voice-buddy >>> [part~="error"]', (e) => e.textContent);
    assert.match(shown, /could not be reached/);
    assert.doesNotMatch(shown, /dynamically imported|Failed to fetch/);
    assert.equal(requested.length, 1);

    refuse = false;
    await page.$eval('voice-buddy >>> [part~="retry-button"]', (b) => b.click());
    await until(page, reached, 'listening', 'Retry did not connect');
    assert.equal(requested.length, 2, 'Retry fetched the chunk again');
    assert.equal(await page.$('voice-buddy >>> [part~="error"]'), null, 'the error box is gone');
    await page.close();
  });
});
