// Issue 14, analytics: ingestion throughput of POST /v1/events (batches of 20 events) on one `wrangler dev`, and the
// time analytics adds to a visitor's request: POST /v1/realtime/session (text), which records a session fact, on a
// Worker that records (queue send in waitUntil) and on one started with ANALYTICS_OFF=1, measured in turns.
import autocannon from 'autocannon';
import { prepareDatabase, startWrangler } from '../../demo/local.mjs';
import { adminFetch, freePort, SANDBOX_VARS } from '../e2e/support.mjs';
import { ms, num, percentile, summaryRow, table } from './report.mjs';
import { raiseDemoLimits } from './support.mjs';

export const title = 'Analytics (issue 14)';

const CONNECTIONS = 20;
const SECONDS = 5;
const BATCH = 20;

async function startWorker(ctx, name, vars = {}) {
  const port = await freePort();
  ctx.ownPort(port);
  const persistTo = ctx.tempDir(`analytics-${name}`);
  prepareDatabase({ port, persistTo, quiet: true });
  const server = await startWrangler({ port, persistTo, quiet: true, vars: { ...SANDBOX_VARS, ...vars } });
  ctx.defer(`stop wrangler dev (analytics ${name}, pid ${server.pid})`, () => server.stop());
  console.log(`  [harness] wrangler dev (analytics ${name}) pid ${server.pid} on ${server.url}`);
  const admin = adminFetch(server.url);
  await raiseDemoLimits({ admin });
  return { ...server, origin: server.url, admin };
}

async function load({ url, method = 'GET', headers = {}, body, seconds = SECONDS, connections = CONNECTIONS }) {
  if (new URL(url).hostname !== '127.0.0.1') throw new Error(`load only against 127.0.0.1, not ${url}`);
  const latencies = [];
  const tracker = autocannon({
    url,
    method,
    headers,
    body,
    connections,
    duration: seconds,
    timeout: 10,
    pipelining: 1,
  });
  tracker.on('response', (_c, status, _b, t) => status >= 200 && status < 300 && latencies.push(t));
  const r = await tracker;
  return { rps: (r['2xx'] ?? 0) / r.duration, non2xx: r.non2xx, errors: r.errors, latencies };
}

const events = Array.from({ length: BATCH }, (_, i) =>
  i % 2 ? { name: 'connect_attempt', mode: 'text' } : { name: 'connect_result', mode: 'text', ok: true, ms: 120 + i },
);

export async function run(ctx) {
  const on = await startWorker(ctx, 'on');
  // Every request its own session id would need a body per request; one session is capped at 1,000 events per
  // 10 minutes, so the load uses a session cap high enough by spreading over a few hundred ids.
  const bodies = Array.from({ length: 500 }, (_, i) =>
    JSON.stringify({ session: `bench-session-${i.toString().padStart(4, '0')}`, events }),
  );
  let next = 0;
  const ingestUrl = `${on.url}/v1/events?key=pk_demo`;
  const ingestion = await (async () => {
    const latencies = [];
    const tracker = autocannon({
      url: ingestUrl,
      method: 'POST',
      connections: CONNECTIONS,
      duration: SECONDS,
      timeout: 10,
      headers: { Origin: on.origin, 'Content-Type': 'text/plain' },
      requests: [{ setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] }) }],
    });
    tracker.on('response', (_c, status, _b, t) => status === 202 && latencies.push(t));
    const r = await tracker;
    return { rps: (r['2xx'] ?? 0) / r.duration, non2xx: r.non2xx, latencies };
  })();
  const sessionReq = (worker) => ({
    url: `${worker.url}/v1/realtime/session`,
    method: 'POST',
    headers: { 'X-Voice-Buddy-Key': 'pk_demo', Origin: worker.origin, 'Content-Type': 'application/json' },
    body: JSON.stringify({ mode: 'text' }),
  });
  const off = await startWorker(ctx, 'off', { ANALYTICS_OFF: '1' });
  const withA = [];
  const withoutA = [];
  for (let round = 0; round < 3; round++) {
    withA.push(await load({ ...sessionReq(on), seconds: 2 }));
    withoutA.push(await load({ ...sessionReq(off), seconds: 2 }));
  }
  const stats = (runs) => {
    const lat = runs.flatMap((r) => r.latencies);
    return {
      rps: runs.reduce((n, r) => n + r.rps, 0) / runs.length,
      p50: percentile(lat, 50),
      p99: percentile(lat, 99),
      non2xx: runs.reduce((n, r) => n + r.non2xx, 0),
    };
  };
  const a = stats(withA);
  const b = stats(withoutA);
  table(
    `POST /v1/events, ${BATCH} events a request, ${CONNECTIONS} connections, ${SECONDS} s, one wrangler dev`,
    ['measure', '>value'],
    [
      ['requests per second (202)', num(ingestion.rps)],
      ['events per second', num(ingestion.rps * BATCH)],
      ['p50 / p99', `${ms(percentile(ingestion.latencies, 50))} / ${ms(percentile(ingestion.latencies, 99))}`],
      ['non-2xx', num(ingestion.non2xx)],
    ],
  );
  table(
    'POST /v1/realtime/session (text): analytics on vs ANALYTICS_OFF=1, 3 interleaved rounds of 2 s each',
    ['worker', '>req/s', '>p50', '>p99', '>non-2xx'],
    [
      ['analytics on', num(a.rps), ms(a.p50), ms(a.p99), num(a.non2xx)],
      ['analytics off', num(b.rps), ms(b.p50), ms(b.p99), num(b.non2xx)],
    ],
    [
      'Two Workers on the same 2 cores, measured in turns; the difference is the time analytics adds (target: nothing measurable).',
    ],
  );
  return [
    summaryRow('analytics', 'ingested events/s (one wrangler dev)', num(ingestion.rps * BATCH)),
    summaryRow('analytics', 'session p50 added by analytics', ms(a.p50 - b.p50), '~0 ms'),
  ];
}
