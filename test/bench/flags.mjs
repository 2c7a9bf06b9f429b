// Issue 6, flags: evaluations per second of worker/flags/evaluate.ts for 20 flags (bundled for Node), and
// /v1/bootstrap throughput with 20 flags versus none: two `wrangler dev` whose D1 starts with the flags table
// emptied; one gets 20 flags through the admin bulk API; both are loaded side by side.
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { prepareDatabase, startWrangler } from '../../demo/local.mjs';
import { ADMIN_TOKEN, freePort } from '../e2e/support.mjs';
import { compareLoads } from './load.mjs';
import { num, summaryRow, table } from './report.mjs';
import { raiseDemoLimits, ROOT, runCommand, sleep, tenantHeaders } from './support.mjs';

export const title = 'Flags (issue 6)';

const FLAGS = 20;
const EVAL_SECONDS = 2;
const CONNECTIONS = 50;
const SECONDS = 5;
const CONTROL_SECONDS = 3;

/** 20 flags like a real set: the product flags at 100%, the rest split rollouts, some allowlists and prerequisites. */
function flagSpecs(productKeys) {
  const specs = productKeys.map((key) => ({ key, description: `product flag ${key}`, enabled: true, rollout: 100, tenants: [], prerequisites: [] }));
  for (let i = 0; specs.length < FLAGS; i++) {
    specs.push({
      key: `bench.flag-${i}`,
      description: `bench flag ${i}`,
      enabled: i % 5 !== 4,
      rollout: [10, 25, 50, 75, 33.33][i % 5],
      tenants: i % 4 === 0 ? ['demo'] : [],
      prerequisites: i % 3 === 0 ? ['voice.webrtc'] : i % 3 === 1 ? [`bench.flag-${i - 1}`] : [],
    });
  }
  return specs;
}

async function evaluations(ctx) {
  const { evaluateFlags, FLAG_KEYS } = await ctx.importTs('worker/flags/evaluate.ts');
  const flags = flagSpecs(FLAG_KEYS).map((s, i) => ({ ...s, salt: `salt-${i}-${s.key}`, updatedAt: '2026-01-01T00:00:00.000Z', updatedBy: 'bench' }));
  const units = Array.from({ length: 1024 }, (_, i) => ({ tenantId: 'demo', uid: `v_${(i * 2654435761) >>> 0}` }));
  let on = 0;
  const loop = (seconds) => {
    let calls = 0;
    const started = performance.now();
    const until = started + seconds * 1000;
    while (performance.now() < until) {
      for (let j = 0; j < 256; j++) {
        const result = evaluateFlags(flags, units[(calls + j) & 1023]);
        if (result['bench.flag-1'].enabled) on++;
      }
      calls += 256;
    }
    return { calls, seconds: (performance.now() - started) / 1000 };
  };
  loop(0.3); // warm-up: let the JIT settle
  const { calls, seconds } = loop(EVAL_SECONDS);
  const perSecond = (calls * FLAGS) / seconds;
  table(
    `Flag evaluation: evaluateFlags() over ${FLAGS} flags for one unit (as /v1/bootstrap does), ${num(seconds, 1)} s in Node`,
    ['measure', '>value'],
    [
      ['flag evaluations per second', num(perSecond)],
      [`evaluateFlags calls per second (${FLAGS} flags each)`, num(calls / seconds)],
      ['time per bootstrap evaluation', `${num((seconds / calls) * 1e6, 2)} µs`],
      ['time per flag evaluation', `${num((seconds / calls / FLAGS) * 1e9, 0)} ns`],
    ],
    [`Units vary (1,024 uids); rollouts split with murmur3 buckets, some prerequisites and allowlists. (${num(on)} units had bench.flag-1.) No target in issue 6.`],
  );
  return [summaryRow('flags', `flag evaluations/s (${FLAGS} flags)`, num(perSecond))];
}

/**
 * Two wrangler dev instances whose D1 has no flags at all: the seeded ones are deleted before they start (the second
 * starts from a copy of the first's state, so its demo tenant allows the first one's origin, which both are sent).
 */
async function startFlaglessWorkers(ctx) {
  const port = await freePort();
  ctx.ownPort(port);
  const first = ctx.tempDir('flags-d1');
  prepareDatabase({ port, persistTo: first, quiet: true });
  await runCommand(join(ROOT, 'node_modules/.bin/wrangler'), ['d1', 'execute', 'voice-buddy', '--local', '--persist-to', first, '--command', 'DELETE FROM flags']);
  const second = ctx.tempDir('flags-d1');
  cpSync(first, second, { recursive: true });
  const origin = `http://127.0.0.1:${port}`;
  const start = async (persistTo, listenOn, label) => {
    const started = Date.now();
    const server = await startWrangler({
      port: listenOn,
      persistTo,
      quiet: true,
      vars: { ADMIN_TOKEN, OPENAI_API_KEY: '', AKOOL_API_KEY: '', ELEVENLABS_API_KEY: '', TICKET_SECRET: 'bench-ticket-secret' },
    });
    ctx.defer(`stop wrangler dev (${label}, pid ${server.pid})`, () => server.stop());
    console.log(`  [harness] wrangler dev (${label}) pid ${server.pid} on ${server.url}, up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const worker = {
      ...server,
      origin,
      admin: (path, init = {}) =>
        fetch(`${server.url}${path}`, { ...init, headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json', ...init.headers } }),
    };
    await raiseDemoLimits(worker);
    return worker;
  };
  return Promise.all([start(first, port, 'flags: none'), start(second, await freePort(), 'flags: 20')]);
}

async function bootstrapFlags(worker) {
  const res = await fetch(`${worker.url}/v1/bootstrap?uid=x`, { headers: tenantHeaders(worker) });
  if (res.status !== 200) throw new Error(`GET /v1/bootstrap answered ${res.status}: ${await res.text()}`);
  const body = await res.json();
  return { count: Object.keys(body.flags ?? {}).length, bytes: JSON.stringify(body).length };
}

async function bootstrapRatio(ctx) {
  const { FLAG_KEYS } = await ctx.importTs('worker/flags/evaluate.ts');
  const [bare, flagged] = await startFlaglessWorkers(ctx);
  const none = await bootstrapFlags(bare);
  if (none.count !== 0) throw new Error(`expected no flags, bootstrap has ${none.count}`);
  const target = (worker) => ({ url: `${worker.url}/v1/bootstrap?uid=x`, headers: tenantHeaders(worker) });
  // Control: both still without flags, so a difference between the two instances themselves shows.
  const [controlA, controlB] = await compareLoads([target(bare), target(flagged)], { connections: CONNECTIONS, seconds: CONTROL_SECONDS });

  const res = await flagged.admin('/admin/flags/bulk', {
    method: 'POST',
    headers: { 'X-Admin-Actor': 'bench' },
    body: JSON.stringify({ changes: flagSpecs(FLAG_KEYS).map((s) => ({ ...s, create: true })), note: 'bench: 20 flags' }),
  });
  if (!res.ok) throw new Error(`POST /admin/flags/bulk answered ${res.status}: ${await res.text()}`);
  let withFlags = await bootstrapFlags(flagged);
  // A write drops the cache in its own isolate; another isolate follows within the 5 s cache time.
  for (let i = 0; i < 30 && withFlags.count !== FLAGS; i++) {
    await sleep(250);
    withFlags = await bootstrapFlags(flagged);
  }
  if (withFlags.count !== FLAGS) throw new Error(`bootstrap shows ${withFlags.count} flags after the bulk write, expected ${FLAGS}`);

  const [without, with20] = await compareLoads([target(bare), target(flagged)], { connections: CONNECTIONS, seconds: SECONDS });
  const ratio = with20.rps / without.rps;
  const control = controlB.rps / controlA.rps;
  const row = (name, r, body) => [name, num(body.bytes), num(r.rps), num(r.p50, 1), num(r.p99, 1), num(r.non2xx), num(r.errors)];
  table(
    `GET /v1/bootstrap?uid=x at ${CONNECTIONS} connections, two wrangler dev (sandbox, same D1 start), ${SECONDS} s each after 1 s warm-up, in 1 s slices taking turns`,
    ['flags in D1', '>body bytes', '>req/s (2xx)', '>p50 ms', '>p99 ms', '>non-2xx', '>errors'],
    [
      row('A: none (table emptied before start)', without, none),
      row(`B: ${FLAGS} (created with the admin bulk API)`, with20, withFlags),
      ['ratio B / A', '', num(ratio, 2), '', '', '', ''],
      [`control before the write, both none (${CONTROL_SECONDS} s each): B / A`, '', num(control, 2), '', '', '', ''],
    ],
    [
      'No target in issue 6. Flags are cached per isolate for 5 s, so the difference is evaluation and a larger body (and',
      'its ETag), not D1 reads. The control shows how much of a ratio the two instances differ by on their own.',
    ],
  );
  return [summaryRow('flags', `bootstrap req/s, ${FLAGS} flags / none`, `${num(ratio, 2)} (control ${num(control, 2)})`)];
}

export async function run(ctx) {
  return [...(await evaluations(ctx)), ...(await bootstrapRatio(ctx))];
}
