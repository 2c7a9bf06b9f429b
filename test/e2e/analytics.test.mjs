// End to end: a conversation on a partner page (another origin) shows up in /admin/analytics within seconds, through
// the widget's telemetry, the ANALYTICS queue of `wrangler dev` and its consumer; and a page that navigates away
// mid-conversation still reports its session's end (sendBeacon on pagehide).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, startPartnerSite, startWorker, until } from './support.mjs';

const today = () => new Date().toISOString().slice(0, 10);

/** The relay's own log lines (worker/realtime/relay.ts `relay_end`) of one tenant, from wrangler's output. */
const relayEnds = (worker, tenant) =>
  worker
    .output()
    .split('\n')
    .filter((l) => l.includes('"event":"relay_end"') && l.includes(`"tenant":"${tenant}"`))
    .map((l) => JSON.parse(l.slice(l.indexOf('{'))));

const pick = (o, keys) => Object.fromEntries(keys.map((k) => [k, o[k]]));

async function waitFor(check, ms, what) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

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

async function converse(page, url, { talk = true, bootstrapMs = 15_000 } = {}) {
  await page.goto(url);
  try {
    const ready = () => document.querySelector('voice-buddy')?.store?.$config.get()?.telemetry?.enabled === true;
    await until(page, ready, null, 'no bootstrap', bootstrapMs);
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

    // Mid-conversation, the visitor follows a link away: pagehide sends the session's end by beacon. The page stays
    // alive in the back/forward cache (open, not closed, until the page is closed below), and Chromium would keep its
    // WebSocket open all that time: the widget ends the conversation as the page leaves, so the relay ends now.
    await page.goto('about:blank');
    const ended = await analyticsUntil(
      worker,
      'analytics-partner',
      (t) => t.sessions.endedBy?.pagehide === 1,
      'the session end',
    );
    assert.equal(ended.totals.sessions.turns, 1);
    const relayEnded = () => relayEnds(worker, 'analytics-partner');
    await waitFor(() => relayEnded().length === 1, 5_000, 'the relay to end after the page left');
    // 1000 is the widget's own close (widget/realtime/relay.ts); the browser's, as a page goes, is 1001.
    assert.deepEqual(pick(relayEnded()[0], ['closedBy', 'closeCode']), { closedBy: 'client', closeCode: 1000 });
    await page.close();
  });

  // After the page that left mid-conversation, on a site created a moment ago: its preflight used to be refused for up
  // to 5 s (a cache of all tenants' origins that a tenant write did not drop), which the widget saw as a network
  // error on bootstrap. It must bootstrap at once.
  it('telemetry="off" sends nothing', async () => {
    const attributes = 'telemetry="off"';
    const off = await startPartnerSite(worker, { id: 'analytics-off', key: 'pk_analytics_off', attributes });
    const page = await browser.newPage();
    const posts = [];
    page.on('request', (r) => r.url().includes('/v1/events') && posts.push(r.url()));
    await converse(page, off.url, { talk: false, bootstrapMs: 3_000 });
    await page.goto('about:blank');
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepEqual(posts, []);
    await page.close();
    await off.close();
  });
});
