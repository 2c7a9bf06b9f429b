// End to end, where the customers are: a partner's page on ANOTHER origin than the Worker, with nothing but the
// README's two lines, in Chromium against `wrangler dev`. Every file the widget loads after start-up (lazy chunks,
// the audio worklet, the Agora chunk) is a CORS request from there. The same-origin run is demo.test.mjs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FAKE_AKOOL_KEY, startFakeAkool } from '../fakes/akool.js';
import { FAKE_OPENAI_KEY, startFakeOpenAI } from '../fakes/openai.js';
import { publishRelease } from '../../demo/publish-release.mjs';
import { ROOT } from '../../demo/local.mjs';
import { launchBrowser, startPartnerSite, startWorker, until, watch, widgetFiles } from './support.mjs';

const release = () => JSON.parse(readFileSync(join(ROOT, 'dist/release.json'), 'utf8'));
/** A release older than the one built: deployed before, so it lives only in R2 now (published under this name). */
const OLD = '0.9.0';

const chips = (selector) => `voice-buddy >>> voice-buddy-keyword-chips >>> ${selector}`;
const keywords = (page) => page.evaluate(() => document.querySelector('voice-buddy').store.$keywords.get());
const generations = (page) => page.evaluate(() => document.querySelector('voice-buddy').store.$generations.get());

/** Types into the widget's text box as a visitor does. */
async function say(page, text) {
  const input = await page.waitForSelector('voice-buddy >>> [part~="text-input"]');
  await input.type(text);
  await input.press('Enter');
}

const assistantReplies = (page) =>
  page.evaluate(
    () => document.querySelector('voice-buddy').transcript.filter((e) => e.kind === 'assistant' && e.final).length,
  );

describe('a partner page on another origin, sandbox server (no provider keys)', () => {
  let worker;
  let browser;
  let site;
  before(async () => {
    worker = await startWorker({}, { prepare: (persistTo) => publishRelease({ persistTo, as: OLD, quiet: true }) });
    browser = await launchBrowser();
    site = await startPartnerSite(worker, {
      id: 'partner',
      key: 'pk_partner',
      branding: { name: 'Partner Ink', primaryColor: '#1f2937' },
    });
  });
  after(async () => {
    await browser?.close();
    await site?.close();
    await worker?.dispose();
  });

  it('opens in text mode and says why voice is off, instead of offering what cannot work', async () => {
    const page = await browser.newPage();
    const seen = watch(page);
    await page.goto(site.url);
    await until(
      page,
      () => document.querySelector('voice-buddy')?.store?.$config.get()?.sandbox === true,
      null,
      'no sandbox bootstrap',
    );
    assert.equal(await page.evaluate(() => document.querySelector('voice-buddy').store.$mode.get()), 'text');
    assert.equal(
      await page.$eval('voice-buddy >>> [part~="connect-button"]', (b) => b.textContent.trim()),
      'Start chatting',
    );
    const options = await page.$$eval('voice-buddy >>> [part~="mode-select"] option', (os) =>
      os.map((o) => ({ value: o.value, disabled: o.disabled, text: o.textContent })),
    );
    assert.deepEqual(
      options.map((o) => [o.value, o.disabled]),
      [
        ['hands-free', true],
        ['push-to-talk', true],
        ['text', false],
      ],
    );
    assert.ok(
      options.filter((o) => o.disabled).every((o) => /needs a provider key/.test(o.text)),
      JSON.stringify(options),
    );
    assert.match(await page.$eval('voice-buddy >>> [part~="sandbox-notice"]', (n) => n.textContent), /OpenAI key/);
    assert.deepEqual(await seen.problems(), []);
    await page.close();
  });

  it('does the whole design flow: idea, chips edited in place, added and removed, three concepts over SSE, a refinement', async () => {
    const page = await browser.newPage();
    const seen = watch(page);
    await page.goto(site.url);
    await until(
      page,
      () => document.querySelector('voice-buddy')?.store?.$config.get(),
      null,
      'the widget did not start',
    );

    await say(page, 'A fine-line wolf howling at the moon on my forearm, black and grey');
    await until(
      page,
      () => document.querySelector('voice-buddy').store.$keywords.get()?.subject.includes('wolf'),
      null,
      'no keyword chips',
    );
    // The keyword tools came from the Worker's origin, as a CORS request of the partner page.
    assert.ok(
      seen.loaded.some((u) => /\/chunks\/voice-buddy-keywords\.lazy-[\w-]+\.js$/.test(u)),
      seen.loaded.join('\n'),
    );
    // So did the chips and the gallery (defined with the first keywords), and the module they load in turn.
    for (const chunk of [
      /\/chunks\/voice-buddy-design\.lazy-[\w-]+\.js$/,
      /\/chunks\/voice-buddy-design-parts-[\w-]+\.js$/,
    ]) {
      assert.ok(
        seen.loaded.some((u) => chunk.test(u)),
        `${chunk} not loaded:\n${seen.loaded.join('\n')}`,
      );
    }
    await until(
      page,
      () =>
        document.querySelector('voice-buddy').transcript.filter((e) => e.kind === 'assistant' && e.final).length >= 2,
      null,
      'no follow-up after the keyword call',
    );

    // Edit a chip in place: wolf becomes fox (Enter saves).
    await (await page.waitForSelector(chips('[part~="chip-edit"][aria-label="Edit wolf (Subject)"]'))).click();
    const edit = await page.waitForSelector(chips('[part~="chip-input"]'));
    await edit.type('fox');
    await edit.press('Enter');
    await until(
      page,
      () => document.querySelector('voice-buddy').store.$keywords.get()?.subject.join() === 'fox',
      null,
      'the edit did not apply',
    );
    // Escape cancels an edit.
    await (await page.waitForSelector(chips('[part~="chip-edit"][aria-label="Edit fox (Subject)"]'))).click();
    const cancelled = await page.waitForSelector(chips('[part~="chip-input"]'));
    await cancelled.type('bear');
    await cancelled.press('Escape');
    await page.waitForSelector(chips('[part~="chip-edit"][aria-label="Edit fox (Subject)"]'));
    // Add an exclusion and remove a motif.
    const add = await page.waitForSelector(chips('[part~="add-input"]'));
    await add.type('no red');
    await add.press('Enter');
    await (await page.waitForSelector(chips('[part~="chip-remove"][aria-label="Remove moon (Elements)"]'))).click();
    await until(
      page,
      () => {
        const k = document.querySelector('voice-buddy').store.$keywords.get();
        return k.exclude.includes('red') && !k.elements.includes('moon');
      },
      null,
      'the chip edits did not apply',
    );

    await (await page.waitForSelector(chips('[part~="generate-button"]:not([disabled])'))).click();
    await until(
      page,
      () => document.querySelector('voice-buddy').store.$generations.get()[0]?.status === 'done',
      null,
      'the first generation did not finish',
      20_000,
    );
    assert.equal((await page.$$('voice-buddy >>> voice-buddy-concept-gallery >>> [part~="concept"] img')).length, 3);

    // Refine by typing: the sandbox reads the visitor's edits as the brief, so nothing removed comes back.
    const replies = await assistantReplies(page);
    await say(page, 'make it bolder');
    await until(
      page,
      () => document.querySelector('voice-buddy').store.$generations.get()[1]?.status === 'done',
      null,
      'the refinement did not draw',
      20_000,
    );
    const [first, second] = await generations(page);
    assert.equal(second.concepts.length, 3);
    assert.equal(first.concepts.length, 3, 'refining keeps the earlier concepts');
    for (const k of [second.keywords, await keywords(page)]) {
      assert.deepEqual(k.subject, ['fox']);
      assert.ok(!k.elements.includes('moon'), `moon came back: ${JSON.stringify(k)}`);
      assert.ok(k.exclude.includes('red') && !k.colors.includes('red'), `red is not excluded: ${JSON.stringify(k)}`);
    }
    // What was drawn: the Worker's own record of the refinement.
    const record = await (
      await fetch(`${worker.url}/v1/generations/${second.id}`, {
        headers: { 'X-Voice-Buddy-Key': 'pk_partner', Origin: site.origin },
      })
    ).json();
    assert.match(record.generation.prompt, /Avoid: [^.]*\bred\b/);
    assert.doesNotMatch(record.generation.prompt, /moon/);
    assert.ok((await assistantReplies(page)) > replies);
    assert.deepEqual(await seen.problems(), []);
    await page.close();
  });

  it('works on a page that requires CORP or CORS of everything it embeds (COEP require-corp)', async () => {
    const page = await browser.newPage();
    const seen = watch(page);
    await page.goto(`${site.url}?coep=1`);
    assert.equal(await page.evaluate(() => window.crossOriginIsolated), true, 'the page is not cross-origin isolated');
    await until(
      page,
      () => document.querySelector('voice-buddy')?.store?.$config.get(),
      null,
      'the widget did not start under COEP',
    );
    await say(page, 'a small rose on my wrist');
    await until(
      page,
      () => document.querySelector('voice-buddy').store.$keywords.get()?.subject.includes('rose'),
      null,
      'no keyword chips under COEP',
    );
    assert.deepEqual(await seen.problems(), []);
    await page.close();
  });

  it('serves every widget file to any origin with CDN cache headers, on 200, 304 and 404 alike', async () => {
    const files = widgetFiles();
    assert.ok(
      files.some((f) => f.includes('audio.worklet')) && files.some((f) => f.includes('agora')),
      files.join(', '),
    );
    for (const file of files) {
      const res = await fetch(`${worker.url}/${file}`, { headers: { Origin: site.origin } });
      assert.equal(res.status, 200, file);
      assert.equal(res.headers.get('access-control-allow-origin'), '*', file);
      assert.equal(res.headers.get('cross-origin-resource-policy'), 'cross-origin', file);
      const loader = /^(v\/\d+\/)?voice-buddy(\.iife)?\.js$/.test(file);
      assert.equal(
        res.headers.get('cache-control'),
        loader ? 'public, max-age=0, must-revalidate' : 'public, max-age=31536000, immutable',
        file,
      );
      const again = await fetch(`${worker.url}/${file}`, {
        headers: { Origin: site.origin, 'If-None-Match': res.headers.get('etag') },
      });
      assert.equal(again.status, 304, file);
      assert.equal(again.headers.get('access-control-allow-origin'), '*', `${file} (304)`);
      assert.equal(again.headers.get('cross-origin-resource-policy'), 'cross-origin', `${file} (304)`);
    }
    const missing = await fetch(`${worker.url}/chunks/voice-buddy-gone-0000.js`, { headers: { Origin: site.origin } });
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get('access-control-allow-origin'), '*');
    assert.equal(missing.headers.get('cross-origin-resource-policy'), 'cross-origin');
    assert.equal((await missing.json()).error.code, 'not_found');
    // The API keeps its per-tenant CORS, and the admin console stays on its own origin.
    const api = await fetch(`${worker.url}/v1/bootstrap?key=pk_partner`, {
      headers: { Origin: 'https://elsewhere.example' },
    });
    assert.equal(api.status, 403);
    assert.equal(api.headers.get('access-control-allow-origin'), null);
    const console_ = await fetch(`${worker.url}/admin/console.js`);
    assert.equal(console_.headers.get('access-control-allow-origin'), null);
    assert.equal(console_.headers.get('cross-origin-resource-policy'), 'same-origin');
  });

  it('loads a pinned version with its integrity hash, and a release that later deploys left only in R2', async () => {
    const { version, integrity } = release();
    for (const [src, sri] of [
      [`/v/${version}/voice-buddy.iife.js`, integrity],
      [`/v/${OLD}/voice-buddy.iife.js`, null],
    ]) {
      const page = await browser.newPage();
      const seen = watch(page);
      const query = new URLSearchParams({ src, ...(sri ? { integrity: sri } : {}) });
      await page.goto(`${site.url}?${query}`);
      await until(
        page,
        () => document.querySelector('voice-buddy')?.store?.$config.get(),
        null,
        `${src} did not start`,
      );
      await say(page, 'a small rose on my wrist');
      await until(
        page,
        () => document.querySelector('voice-buddy').store.$keywords.get()?.subject.includes('rose'),
        null,
        `${src}: no keyword chips`,
      );
      const base = src.replace(/voice-buddy\.iife\.js$/, 'chunks/');
      assert.ok(
        seen.loaded.some((u) => u.startsWith(`${worker.url}${base}voice-buddy-keywords.lazy-`)),
        `${src} loaded its chunks elsewhere:\n${seen.loaded.join('\n')}`,
      );
      assert.deepEqual(await seen.problems(), []);
      await page.close();
    }
    // The old release comes from R2 through the Worker, with the same headers as the static files.
    const old = await fetch(`${worker.url}/v/${OLD}/voice-buddy.iife.js`, { headers: { Origin: site.origin } });
    assert.equal(old.status, 200);
    assert.equal(await old.text(), readFileSync(join(ROOT, `dist/v/${version}/voice-buddy.iife.js`), 'utf8'));
    assert.equal(old.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(old.headers.get('access-control-allow-origin'), '*');
    assert.equal(old.headers.get('content-type'), 'text/javascript; charset=utf-8');
    const again = await fetch(`${worker.url}/v/${OLD}/voice-buddy.iife.js`, {
      headers: { 'If-None-Match': old.headers.get('etag') },
    });
    assert.equal(again.status, 304);
    assert.equal(again.headers.get('cross-origin-resource-policy'), 'cross-origin');
    for (const path of [`/v/${OLD}/nothing.js`, '/v/0.0.1/voice-buddy.iife.js', `/v/${OLD}/..%2F..%2Fwrangler.toml`]) {
      const missing = await fetch(`${worker.url}${path}`);
      assert.equal(missing.status, 404, path);
      assert.equal(missing.headers.get('access-control-allow-origin'), '*', path);
    }
  });

  it('fits a phone: nothing wider than the screen, the floating launcher stays in its corner in all four placements, the open panel is full-screen on a phone', async () => {
    const page = await browser.newPage();
    for (const [width, height] of [
      [390, 844],
      [1280, 800],
    ]) {
      await page.setViewport({ width, height });
      for (const placement of ['bottom-right', 'bottom-left', 'top-right', 'top-left']) {
        await page.goto(`${site.url}?variant=floating&placement=${placement}`);
        await until(
          page,
          () => document.querySelector('voice-buddy')?.store?.$config.get(),
          null,
          'the widget did not start',
        );
        const launcher = await page.waitForSelector('voice-buddy >>> [part~="launcher"]');
        const box = async (selector) =>
          page.$eval(`voice-buddy >>> ${selector}`, (e) => JSON.parse(JSON.stringify(e.getBoundingClientRect())));
        const closed = await box('[part~="launcher"]');
        await launcher.click();
        await page.waitForSelector('voice-buddy >>> [part~="panel"]:not([hidden])');
        const panel = await box('[part~="panel"]');
        const where = `${placement} at ${width}px`;
        if (width <= 480) {
          // A phone: the open panel is the whole screen (it covers the launcher) and closes with its own button.
          assert.deepEqual(
            [panel.x, panel.y, panel.width, panel.height],
            [0, 0, width, height],
            `not full-screen (${where})`,
          );
          assert.equal(
            await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
            0,
            `horizontal overflow (${where})`,
          );
          await (await page.waitForSelector('voice-buddy >>> [part~="close-button"]')).click();
          await page.waitForSelector('voice-buddy >>> [part~="panel"][hidden]');
          assert.deepEqual(
            Object.values(await box('[part~="launcher"]')),
            Object.values(closed),
            `the launcher moved (${where})`,
          );
          continue;
        }
        const open = await box('[part~="launcher"]');
        assert.deepEqual([open.x, open.y], [closed.x, closed.y], `the launcher moved when the panel opened (${where})`);
        assert.equal(await launcher.evaluate((b) => b.getAttribute('aria-label')), 'Close Partner Ink', where);
        assert.ok(
          panel.left >= 0 && panel.right <= width && panel.top >= 0 && panel.bottom <= height,
          `panel off screen (${where}): ${JSON.stringify(panel)}`,
        );
        const gap = placement.startsWith('bottom') ? open.top - panel.bottom : panel.top - open.bottom;
        assert.ok(gap >= 8 && gap <= 16, `gap ${gap} between panel and launcher (${where})`);
        const side = placement.endsWith('right')
          ? Math.abs(panel.right - open.right)
          : Math.abs(panel.left - open.left);
        assert.ok(side < 1, `the panel is not aligned with its corner (${where})`);
        assert.equal(
          await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
          0,
          `horizontal overflow (${where})`,
        );
        await launcher.click();
        assert.equal(await launcher.evaluate((b) => b.getAttribute('aria-expanded')), 'false');
      }
    }
    await page.close();
  });
});

describe('a partner page on another origin, voice and avatar providers (fakes of OpenAI and Akool)', () => {
  let openai;
  let akool;
  let worker;
  let browser;
  let site;
  before(async () => {
    openai = await startFakeOpenAI();
    akool = await startFakeAkool();
    worker = await startWorker({
      OPENAI_API_KEY: FAKE_OPENAI_KEY,
      OPENAI_BASE_URL: openai.url,
      AKOOL_API_KEY: FAKE_AKOOL_KEY,
      AKOOL_BASE_URL: akool.url,
    });
    browser = await launchBrowser();
    site = await startPartnerSite(worker, {
      id: 'voice-partner',
      key: 'pk_voice_partner',
      branding: { name: 'Voice Partner' },
      settings: { avatar: { enabled: true, durationSeconds: 600, costPerMinuteUsd: 0.1 } },
      attributes: 'mode="push-to-talk"',
    });
  });
  after(async () => {
    await browser?.close();
    await site?.close();
    await worker?.dispose();
    await akool?.close();
    await openai?.close();
  });

  it('push-to-talk loads its worklet from the Worker and holds a spoken turn', async () => {
    const page = await browser.newPage();
    const seen = watch(page);
    await page.goto(site.url);
    await until(
      page,
      () => document.querySelector('voice-buddy')?.store?.$config.get()?.sandbox === false,
      null,
      'no bootstrap',
    );
    await (await page.waitForSelector('voice-buddy >>> [part~="connect-button"]')).click();
    await until(
      page,
      () => document.querySelector('voice-buddy').status === 'listening',
      null,
      'push-to-talk did not reach listening',
    );
    // Listening in push-to-talk means the worklet module loaded (the capture starts on it before the session is live;
    // a worklet that cannot load falls back to typing with audio_unavailable).
    assert.equal(await page.evaluate(() => document.querySelector('voice-buddy').store.$mode.get()), 'push-to-talk');
    // The PCM capture and playback on that worklet are a lazy chunk of their own, from the Worker too.
    assert.ok(
      seen.loaded.some((u) => /\/chunks\/voice-buddy-pcm\.lazy-[\w-]+\.js$/.test(u)),
      seen.loaded.join('\n'),
    );
    const talk = await page.waitForSelector('voice-buddy >>> [part~="talk-button"]');
    const { x, y } = await talk.boundingBox();
    await page.mouse.move(x + 10, y + 10);
    await page.mouse.down();
    await new Promise((r) => setTimeout(r, 700));
    await page.mouse.up();
    await until(
      page,
      () => document.querySelector('voice-buddy').transcript.some((e) => e.kind === 'user' && /wolf/.test(e.text)),
      null,
      'no transcript of the spoken turn',
    );
    await until(
      page,
      () => document.querySelector('voice-buddy').transcript.some((e) => e.kind === 'assistant' && e.final),
      null,
      'no spoken reply',
    );
    assert.deepEqual(await seen.problems(), []);
    await page.close();
  });

  it('turning the avatar on loads its chunks from the Worker (the avatar may then fail, but not because a file was blocked)', async () => {
    const page = await browser.newPage();
    const seen = watch(page);
    // The avatar's budget asks for 4 cores and 2 Mbps: this machine may have fewer cores, and Chromium guesses loopback
    // at about 1.4 Mbps; a visitor's laptop has both.
    await page.evaluateOnNewDocument(() => {
      Object.defineProperty(navigator, 'hardwareConcurrency', { get: () => 8 });
      Object.defineProperty(Object.getPrototypeOf(navigator.connection), 'downlink', { get: () => 10 });
    });
    await page.goto(site.url);
    await until(
      page,
      () => document.querySelector('voice-buddy')?.store?.$config.get()?.avatar.available === true,
      null,
      'the avatar is not offered',
    );
    await (await page.waitForSelector('voice-buddy >>> [part~="connect-button"]')).click();
    await until(page, () => document.querySelector('voice-buddy').status === 'listening', null, 'not live');
    await (await page.waitForSelector('voice-buddy >>> [part~="avatar-button"]')).click();
    await until(
      page,
      () =>
        performance
          .getEntriesByType('resource')
          .some((e) => /\/chunks\/voice-buddy-agora-[\w-]+\.js$/.test(e.name) && e.responseEnd > 0),
      null,
      'the Agora chunk did not load',
      30_000,
    );
    for (const chunk of [/voice-buddy-avatar\.lazy-[\w-]+\.js$/, /voice-buddy-agora-[\w-]+\.js$/]) {
      assert.ok(
        seen.loaded.some((u) => chunk.test(u)),
        `${chunk} not loaded:\n${seen.loaded.join('\n')}`,
      );
    }
    assert.deepEqual(seen.blocked(worker.url), []);
    await page.close();
  });
});
