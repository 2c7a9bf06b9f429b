// The telemetry chunk (widget/telemetry/) in real Chromium, sending real requests: POST /v1/events is answered by the
// test server's events sink (test/fakes/relay-plugin.js), which keeps every body and tells sendBeacon (Sec-Fetch-Mode
// no-cors) from fetch (cors). fetch is only watched (the call goes through), to see its keepalive flag.
import { expect, waitUntil } from '@open-wc/testing';
import { html, LitElement } from 'lit';
import type { WidgetEvent } from '../../worker/analytics/events.ts';
import { loadTelemetry } from '../../widget/lazy.ts';
import { createSessionStore, type ErrorInfo } from '../../widget/state/session-store.ts';
import { TelemetryHost } from '../../widget/telemetry/host.ts';
import { startTelemetry } from '../../widget/telemetry/telemetry.lazy.ts';
import { baseConfig } from './fakes/backend.ts';

interface Post {
  key: string;
  contentType: string;
  fetchMode: string;
  accepted: boolean;
  body: { session: string; visitor?: string; events: WidgetEvent[] };
}

let n = 0;
const newKey = () => `pk_telemetry_${Date.now().toString(36)}_${n++}`;
const posts = async (key: string): Promise<Post[]> => (await fetch(`/__fake-events/log?key=${key}`)).json();
const postsUntil = async (key: string, check: (p: Post[]) => boolean, what: string) => {
  let last: Post[] = [];
  try {
    await waitUntil(async () => check((last = await posts(key))), what, { timeout: 5000 });
  } catch {
    throw new Error(`${what}; got ${JSON.stringify(last).slice(0, 400)}`);
  }
  return last;
};
const quiet = (ms = 400) => new Promise((r) => setTimeout(r, ms));
const anError = (i: number): ErrorInfo => ({ code: `code_${i}`, message: 'm', retryable: true });
const start = (store: ReturnType<typeof createSessionStore>, publishableKey: string, readyMs?: number) =>
  startTelemetry({ host: document.createElement('div'), store, base: location.origin, publishableKey, readyMs });

/** Watches fetch without replacing what it does: the request still goes to the server. */
function watchFetch() {
  const original = window.fetch;
  const calls: Array<{ url: string; init?: RequestInit }> = [];
  window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: input instanceof Request ? input.url : String(input), init });
    return original(input, init);
  };
  return { calls, restore: () => (window.fetch = original) };
}

describe('telemetry chunk', () => {
  let watched: ReturnType<typeof watchFetch>;
  beforeEach(() => (watched = watchFetch()));
  afterEach(() => watched.restore());

  it('batches at most 100 events a request, by keepalive fetch; the rest goes by beacon when it stops', async () => {
    const key = newKey();
    const store = createSessionStore();
    const t = start(store, key);
    for (let i = 0; i < 250; i++) store.$error.set(anError(i));
    const two = await postsUntil(key, (p) => p.length === 2, 'two full batches at once');
    expect(two.map((p) => p.body.events.length)).to.deep.equal([100, 100]);
    expect(two.map((p) => p.fetchMode)).to.deep.equal(['cors', 'cors']);
    const sent = watched.calls.filter((c) => c.url.includes('/v1/events'));
    expect(sent.map((c) => [c.init?.keepalive, c.init?.credentials, c.init?.method])).to.deep.equal([
      [true, 'omit', 'POST'],
      [true, 'omit', 'POST'],
    ]);
    // text/plain and the key in the URL: no preflight, which a page going away could not wait for.
    expect(sent[0]!.url).to.equal(`${location.origin}/v1/events?key=${key}`);
    t.stop();
    const all = await postsUntil(key, (p) => p.length === 3, 'the rest at stop');
    expect(all[2]!.fetchMode, 'sendBeacon').to.equal('no-cors');
    expect(all[2]!.body.events).to.have.length(50);
    expect(all.every((p) => p.accepted && /^text\/plain/.test(p.contentType))).to.equal(true);
    const codes = all.flatMap((p) => p.body.events.map((e) => e.code));
    expect(codes).to.deep.equal(Array.from({ length: 250 }, (_, i) => `code_${i}`));
    expect(new Set(all.map((p) => p.body.session)).size, 'one widget session').to.equal(1);
  });

  it('sends no more than the Worker takes of one session (1,000); the next session counts afresh', async () => {
    const key = newKey();
    const store = createSessionStore();
    const t = start(store, key);
    for (let i = 0; i < 1100; i++) store.$error.set(anError(i));
    await postsUntil(key, (p) => p.length === 10, 'ten batches');
    t.stop();
    await quiet();
    const all = await posts(key);
    expect(all.reduce((sum, p) => sum + p.body.events.length, 0)).to.equal(1000);
    // A new conversation is a new session: its events go out again.
    const t2 = start(store, key);
    store.$status.set('connecting');
    t2.stop();
    const after = await postsUntil(key, (p) => p.length === 11, 'the next session');
    expect(after[10]!.body.events.map((e) => e.name)).to.deep.equal(['connect_attempt']);
    expect(after[10]!.body.session).not.to.equal(after[0]!.body.session);
  });

  it('a page leaving mid-conversation reports the end by beacon: no words of it, only a hashed visitor', async () => {
    const key = newKey();
    const store = createSessionStore();
    const t = start(store, key, 123.4);
    await quiet(50); // the visitor hash (crypto.subtle) is ready before anything is sent
    store.$status.set('connecting');
    store.$status.set('listening');
    store.setText('u1', 'user', 'A wolf howling under a full moon');
    store.setText('a1', 'assistant', 'A lovely fine-line wolf idea');
    await postsUntil(key, (p) => p.length === 1, 'connect_result at once');
    window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }));
    const all = await postsUntil(key, (p) => p.length === 2, 'the end by beacon');
    expect(all[1]!.fetchMode).to.equal('no-cors');
    const names = all.flatMap((p) => p.body.events.map((e) => e.name));
    expect(names).to.deep.equal(['page_ready', 'connect_attempt', 'connect_result', 'session_end']);
    expect(all[0]!.body.events[0]).to.deep.equal({ name: 'page_ready', ms: 123 });
    const end = all[1]!.body.events.at(-1);
    expect(end).to.deep.include({ name: 'session_end', reason: 'pagehide', turns: 1, mode: 'webrtc' });
    const text = JSON.stringify(all.map((p) => p.body));
    expect(text).not.to.match(/wolf|moon|howling/i);
    const id = localStorage.getItem('voice-buddy-visitor')!;
    expect(id).to.be.a('string');
    const visitor = all[0]!.body.visitor!;
    expect(visitor).to.match(/^[0-9a-f]{32}$/);
    expect(text).not.to.contain(id);
    expect(all.every((p) => p.body.visitor === visitor)).to.equal(true);
    // Idempotent: the element calls pageHide() before the window's pagehide reaches the chunk.
    t.pageHide();
    t.stop();
    await quiet();
    expect(await posts(key)).to.have.length(2);
  });
});

/** The element's side of telemetry alone: the attributes TelemetryHost reads, and a store. */
class TelemetryTestHost extends LitElement {
  static override properties = { key: {}, apiBase: {}, telemetry: {} };
  declare key: string | null;
  declare apiBase: string | null;
  declare telemetry: string | null;
  constructor() {
    super();
    this.key = null;
    this.apiBase = location.origin;
    this.telemetry = null;
  }
  readonly store = createSessionStore();
  readonly telemetryHost = new TelemetryHost(this, this.store);
  override render() {
    return html``;
  }
}
customElements.define('telemetry-test-host', TelemetryTestHost);

describe('telemetry host', () => {
  let watched: ReturnType<typeof watchFetch>;
  beforeEach(() => (watched = watchFetch()));
  afterEach(() => watched.restore());
  const mountHost = async (key: string, attrs: { telemetry?: string; siteAllows: boolean }) => {
    const el = document.createElement('telemetry-test-host') as TelemetryTestHost;
    el.key = key;
    if (attrs.telemetry) el.telemetry = attrs.telemetry;
    document.body.append(el);
    await el.updateComplete;
    el.store.$config.set({ ...baseConfig(), telemetry: { enabled: attrs.siteAllows } });
    await loadTelemetry(); // the host's own import of the chunk has resolved before this one
    await quiet(50);
    return el;
  };

  it('telemetry="off", or a site that turned it off, sends nothing, even as the page goes', async () => {
    for (const [telemetry, siteAllows] of [
      ['off', true],
      [undefined, false],
    ] as const) {
      const key = newKey();
      const el = await mountHost(key, { telemetry, siteAllows });
      el.store.$status.set('connecting');
      el.store.$status.set('listening');
      window.dispatchEvent(new PageTransitionEvent('pagehide'));
      el.remove();
      await quiet();
      expect(await posts(key), `telemetry=${telemetry} site=${siteAllows}`).to.deep.equal([]);
    }
    expect(watched.calls.filter((c) => c.url.includes('/v1/events'))).to.deep.equal([]);
  });

  it('on: sends the page figure once, and the session as the element leaves', async () => {
    const key = newKey();
    const el = await mountHost(key, { siteAllows: true });
    el.store.$status.set('connecting');
    el.store.$status.set('listening');
    el.remove();
    const ended = (p: Post[]) => p.some((x) => x.body.events.some((e) => e.name === 'session_end'));
    const all = await postsUntil(key, ended, 'the end');
    const events = all.flatMap((p) => p.body.events);
    expect(events.filter((e) => e.name === 'page_ready')).to.have.length(1);
    expect(events.find((e) => e.name === 'page_ready')!.ms).to.be.a('number');
    expect(events.find((e) => e.name === 'session_end')).to.deep.include({ reason: 'removed' });
  });
});
