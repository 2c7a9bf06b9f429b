// Issue 12, hands-free: click-to-connected through the Worker-created call (ticket, POST /v1/realtime/calls on the
// Worker, the Worker creates the call at OpenAI) against the old browser-key path (client secret minted by the Worker,
// the offer straight to OpenAI), side by side in one run: the same wrangler dev, the same fake OpenAI (werift answers
// the offers, so Chromium really connects over loopback), alternating so drift affects both alike.
import { median, num, percentile, summaryRow, table } from './report.mjs';

export const title = 'Hands-free calls (issue 12)';

const CONNECTS = 10;
const PATHS = [
  {
    key: 'pk_bench_call',
    id: 'bench-call',
    name: 'Worker-created call (ticket, no OpenAI key in the page)',
    settings: {},
  },
  {
    key: 'pk_bench_key',
    id: 'bench-key',
    name: 'browser key (client secret, offer straight to OpenAI)',
    settings: { realtime: { clientSecret: true } },
  },
];

export async function run(ctx) {
  const worker = await ctx.upstreamWorker();
  for (const p of PATHS) {
    const res = await worker.admin('/admin/tenants', {
      method: 'POST',
      body: JSON.stringify({
        id: p.id,
        name: p.id,
        publishableKey: p.key,
        allowedOrigins: [worker.origin],
        settings: p.settings,
        limits: { requestsPerMinute: 100_000, voiceSessionsPerMonth: 100_000 },
      }),
    });
    if (res.status !== 201 && res.status !== 409)
      throw new Error(`bench tenant ${p.id}: ${res.status} ${await res.text()}`);
  }
  const page = await ctx.newPage(`${worker.url}/`);
  try {
    await page.waitForFunction(() => customElements.get('voice-buddy'), { timeout: 30_000 });
    await page.evaluate(
      async (keys) => {
        for (const key of keys) {
          const el = document.createElement('voice-buddy');
          el.id = key;
          el.setAttribute('key', key);
          el.setAttribute('mode', 'hands-free');
          document.body.append(el);
        }
        const deadline = Date.now() + 15_000;
        while (!keys.every((k) => document.getElementById(k).store?.$config.get())) {
          if (Date.now() > deadline) throw new Error('the bench widgets did not start');
          await new Promise((r) => setTimeout(r, 20));
        }
      },
      PATHS.map((p) => p.key),
    );

    /**
     * One click on Start, timed until `listening`. `warm`: a hover first fetched the ticket (or key) and prepared the
     * offer; `key-only`: the hover fetched only the key, as the widget did before issue 12.
     */
    const connectOnce = (key, prewarm) =>
      page.evaluate(
        async (id, warm) => {
          const el = document.getElementById(id);
          // The connection's class is the lazy machinery's: kept from the first (untimed) connect on.
          const Connection = window.__vbConnection;
          if (Connection) Connection.prewarmOffer = warm !== 'key-only';
          else if (warm) throw new Error(`${id}: no connection yet to set the prewarm path on`);
          const button = el.shadowRoot.querySelector('[part~="connect-button"]');
          const wait = async (check, what) => {
            const deadline = Date.now() + 15_000;
            while (!check()) {
              if (Date.now() > deadline) throw new Error(`${id}: ${what} (status ${el.status})`);
              await new Promise((r) => setTimeout(r, 2));
            }
          };
          if (warm) {
            button.dispatchEvent(new button.ownerDocument.defaultView.PointerEvent('pointerenter'));
            await wait(() => el.conversation.connection?.prewarmAgeMs !== null, 'no prewarm');
            await new Promise((r) => setTimeout(r, 300));
          }
          const t0 = performance.now();
          button.click();
          await wait(
            () => el.status === 'listening' || el.status === 'error' || el.status === 'fallback',
            'not connected',
          );
          const t = performance.now() - t0;
          window.__vbConnection ??= el.conversation.connection?.constructor;
          const mode = el.store.$mode.get();
          el.disconnect();
          await new Promise((r) => setTimeout(r, 50));
          if (mode !== 'hands-free') throw new Error(`${id}: fell back to ${mode}`);
          return t;
        },
        key,
        prewarm,
      );

    // One untimed connect each: the first also compiles code and opens the fake microphone.
    for (const p of PATHS) await connectOnce(p.key, false);
    const times = Object.fromEntries(PATHS.map((p) => [p.key, { cold: [], warm: [], before: [] }]));
    for (let i = 0; i < CONNECTS; i++) {
      for (const p of PATHS) {
        times[p.key].cold.push(await connectOnce(p.key, false));
        times[p.key].warm.push(await connectOnce(p.key, 'warm'));
      }
      times[PATHS[1].key].before.push(await connectOnce(PATHS[1].key, 'key-only'));
    }
    if (page.pageErrors.length) throw new Error(`page errors: ${page.pageErrors.join('; ')}`);
    const rows = [];
    for (const p of PATHS) {
      for (const [kind, label] of [
        ['cold', 'click, nothing prepared'],
        ['warm', 'hover first (ticket or key, and the offer), then click'],
        ['before', 'hover first (key only, as before issue 12), then click'],
      ]) {
        const t = times[p.key][kind];
        if (t.length) rows.push([p.name, label, num(median(t), 1), num(percentile(t, 95), 1), num(Math.min(...t), 1)]);
      }
    }
    table(
      'Click to connected, hands-free (ms; Chromium, wrangler dev, fake OpenAI over loopback WebRTC)',
      ['path', 'start', '>median', '>p95', '>min'],
      rows,
      [
        `${CONNECTS} connects per row, the two paths alternating. The fake answers an offer once its ICE gathering completes (werift), in both paths alike.`,
        'The Worker-created call adds one hop (browser -> Worker -> OpenAI) to the offer; the browser-key path minted its key at OpenAI in the session request instead.',
      ],
    );
    const call = times[PATHS[0].key];
    const key = times[PATHS[1].key];
    const row = (label, a, b) =>
      summaryRow('calls', label, `${num(a, 0)} vs ${num(b, 0)} ms`, 'no slower', a <= b * 1.05);
    return [
      row('hands-free click-to-connected, no prewarm: call vs browser key', median(call.cold), median(key.cold)),
      row(
        'prewarmed: call (ticket + offer) vs browser key as before (key only)',
        median(call.warm),
        median(key.before),
      ),
      row('prewarmed: call vs browser key, both with the offer prepared', median(call.warm), median(key.warm)),
    ];
  } finally {
    await page.close();
  }
}
