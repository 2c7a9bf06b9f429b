// Issue 2, the Worker: /v1/bootstrap against the trivial /health of the same `wrangler dev` (sandbox), and the
// session endpoint's own latency on top of a fake OpenAI that answers after a known, fixed delay.
import { FAKE_OPENAI_KEY } from '../fakes/openai.js';
import { compareLoads } from './load.mjs';
import { median, ms, num, percentile, summaryRow, table } from './report.mjs';
import { tenantHeaders } from './support.mjs';

export const title = 'Worker (issue 2)';

const CONNECTIONS = 50;
const SECONDS = 5;
const UPSTREAM_DELAY_MS = 20;
const SESSIONS = 50;
const WARMUP_SESSIONS = 3;

async function throughput(ctx) {
  const worker = await ctx.sandboxWorker();
  const headers = tenantHeaders(worker);
  const probe = await fetch(`${worker.url}/v1/bootstrap?uid=x`, { headers });
  if (probe.status !== 200) throw new Error(`GET /v1/bootstrap answered ${probe.status}: ${await probe.text()}`);

  const [health, bootstrap] = await compareLoads(
    [{ url: `${worker.url}/health` }, { url: `${worker.url}/v1/bootstrap?uid=x`, headers }],
    {
      connections: CONNECTIONS,
      seconds: SECONDS,
    },
  );
  const ratio = bootstrap.rps / health.rps;
  const row = (name, r) => [name, num(r.rps), num(r.p50, 1), num(r.p99, 1), num(r.ok), num(r.non2xx), num(r.errors)];
  table(
    `Throughput at ${CONNECTIONS} connections, wrangler dev (sandbox), ${SECONDS} s each after 1 s warm-up, in 1 s slices taking turns (autocannon)`,
    ['route', '>req/s (2xx)', '>p50 ms', '>p99 ms', '>requests', '>non-2xx', '>errors'],
    [
      row('GET /health (trivial)', health),
      row('GET /v1/bootstrap?uid=x', bootstrap),
      ['ratio bootstrap / health', num(ratio, 2), '', '', '', '', ''],
    ],
    [
      'Target: bootstrap >= 0.5 x the trivial route. Bootstrap runs the tenant lookup, the origin check, one Durable',
      'Object call for the rate limit, flag evaluation and an ETag (SHA-1) on top of what /health does.',
    ],
  );
  return [
    summaryRow('worker', '/v1/bootstrap req/s @50 conn', num(bootstrap.rps)),
    summaryRow('worker', 'bootstrap / health throughput', num(ratio, 2), '>= 0.5', ratio >= 0.5),
  ];
}

async function post(url, headers, body) {
  const t0 = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: { ...headers, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, text, ms: performance.now() - t0 };
}

async function sessionOverhead(ctx) {
  const fake = await ctx.fakeOpenAI();
  const worker = await ctx.upstreamWorker();
  const queue = (n) =>
    fetch(`${fake.url}/__fake/next`, {
      method: 'POST',
      body: JSON.stringify({ responses: Array.from({ length: n }, () => ({ delayMs: UPSTREAM_DELAY_MS })) }),
    });
  await fetch(`${fake.url}/__fake/reset`, { method: 'POST' });

  // The fake on its own, asked directly: its scripted delay plus its own handling and loopback.
  await queue(SESSIONS);
  const direct = [];
  for (let i = 0; i < SESSIONS; i++) {
    const r = await post(
      `${fake.url}/v1/realtime/client_secrets`,
      { Authorization: `Bearer ${FAKE_OPENAI_KEY}` },
      {
        session: { type: 'realtime', model: 'gpt-realtime-2.1' },
      },
    );
    if (r.status !== 200) throw new Error(`fake client_secrets answered ${r.status}: ${r.text}`);
    direct.push(r.ms);
  }

  await queue(WARMUP_SESSIONS + SESSIONS);
  const totals = [];
  for (let i = 0; i < WARMUP_SESSIONS + SESSIONS; i++) {
    const r = await post(`${worker.url}/v1/realtime/session`, tenantHeaders(worker), { mode: 'webrtc', uid: 'bench' });
    if (r.status !== 201) throw new Error(`POST /v1/realtime/session answered ${r.status}: ${r.text.slice(0, 300)}`);
    if (i >= WARMUP_SESSIONS) totals.push(r.ms);
  }
  const overhead = totals.map((t) => t - UPSTREAM_DELAY_MS);
  const line = (name, xs) => [
    name,
    num(median(xs), 1),
    num(percentile(xs, 95), 1),
    num(Math.min(...xs), 1),
    num(Math.max(...xs), 1),
  ];
  table(
    `POST /v1/realtime/session {mode:"webrtc"}: ${SESSIONS} sequential requests (after ${WARMUP_SESSIONS} warm-up), fake upstream delays each answer ${UPSTREAM_DELAY_MS} ms`,
    ['measure', '>median ms', '>p95 ms', '>min ms', '>max ms'],
    [
      line('total, client -> Worker -> fake -> back', totals),
      line(`Worker's share: total - ${UPSTREAM_DELAY_MS} ms`, overhead),
      line('fake alone (asked directly, same delay)', direct),
      line(
        "Worker's share: total - fake alone (median)",
        totals.map((t) => t - median(direct)),
      ),
    ],
    [
      'No target in issue 2. The share covers validation, the quota Durable Object, building the session config and the',
      'upstream fetch.',
    ],
  );
  return [summaryRow('worker', 'session endpoint minus upstream (median)', ms(median(overhead)))];
}

export async function run(ctx) {
  return [...(await throughput(ctx)), ...(await sessionOverhead(ctx))];
}
