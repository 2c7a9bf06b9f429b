// End to end: a conversation on a partner page (another origin) shows up in /admin/analytics within seconds, through
// the widget's telemetry, the ANALYTICS queue of `wrangler dev` and its consumer; and a page that navigates away
// mid-conversation still reports its session's end (sendBeacon on pagehide).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, startPartnerSite, startWorker, until } from './support.mjs';

const today = () => new Date().toISOString().slice(0, 10);

async function analyticsUntil(worker, tenant, check, what, ms = 10_000) {
  const deadline = Date.now() + ms;
  let last;
  while (Date.now() < deadline) {
    const res = await worker.admin(`/admin/analytics?tenant=${tenant}&from=${today()}&to=${today()}`);
    assert.equal(res.status, 200);
    last = await res.json();
    if (check(last.totals)) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not show up in /admin/analytics within ${ms} ms: ${JSON.stringify(last?.totals)}`);
}

async function converse(page, url, { talk = true } = {}) {
  await page.goto(url);
  try {
    await until(
      page,
      () => document.querySelector('voice-buddy')?.store?.$config.get()?.telemetry?.enabled === true,
      null,
      'no bootstrap',
    );
  } catch (err) {
    const state = await page.evaluate(() => {
      const el = document.querySelector('voice-buddy');
      return JSON.stringify({
        config: el?.store?.$config.get() ?? null,
        error: el?.store?.$error.get() ?? null,
        defined: !!customElements.get('voice-buddy'),
      });
    });
    throw new Error(`${err.message}: ${state}`, { cause: err });
  }
  await (await page.waitForSelector('voice-buddy >>> [part~="connect-button"]')).click();
  await until(
    page,
    () => ['listening', 'thinking', 'speaking'].includes(document.querySelector('voice-buddy').status),
    null,
    'never connected',
  );
  if (!talk) return;
  const input = await page.waitForSelector('voice-buddy >>> [part~="text-input"]');
  await input.type('A wolf under a full moon');
  await input.press('Enter');
  await until(
    page,
    () => document.querySelector('voice-buddy').transcript.some((e) => e.kind === 'assistant' && e.final),
    null,
    'no reply',
  );
}

describe('analytics from a partner page', () => {
  let worker;
  let browser;
  let site;
  before(async () => {
    worker = await startWorker();
    browser = await launchBrowser();
    site = await startPartnerSite(worker, { id: 'analytics-partner', key: 'pk_analytics_partner' });
  });
  after(async () => {
    await browser?.close();
    await site?.close();
    await worker?.dispose();
  });

  // First: after the page that leaves mid-conversation, the local wrangler dev answered nothing for a while (the
  // widget saw a network error on bootstrap); the order keeps that out of this case until it is understood.
  it('telemetry="off" sends nothing', async () => {
    const off = await startPartnerSite(worker, {
      id: 'analytics-off',
      key: 'pk_analytics_off',
      attributes: 'telemetry="off"',
    });
    const page = await browser.newPage();
    const posts = [];
    page.on('request', (r) => r.url().includes('/v1/events') && posts.push(r.url()));
    await converse(page, off.url, { talk: false });
    await page.goto('about:blank');
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepEqual(posts, []);
    await page.close();
    await off.close();
  });

  it('a conversation shows up within seconds; leaving mid-conversation still reports the session end', async () => {
    const page = await browser.newPage();
    const started = Date.now();
    await converse(page, site.url);
    const live = await analyticsUntil(
      worker,
      'analytics-partner',
      (t) => t.sessions.connected >= 1,
      'the connected session',
    );
    assert.equal(live.totals.sessions.attempts, 1);
    assert.deepEqual(live.totals.modes, { text: 1 });
    assert.ok(live.totals.connectMs.p50 > 0);
    console.log(`# connected session in /admin/analytics ${Date.now() - started} ms after the page opened`);

    // Mid-conversation, the visitor follows a link away: pagehide sends the session's end by beacon.
    await page.goto('about:blank');
    const ended = await analyticsUntil(
      worker,
      'analytics-partner',
      (t) => t.sessions.endedBy?.pagehide === 1,
      'the session end',
    );
    assert.equal(ended.totals.sessions.turns, 1);
    await page.close();
  });
});
