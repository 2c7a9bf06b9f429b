// Issue 16, spoken replies: reply text to the first audio byte through the Worker's POST /v1/tts, with the fake
// ElevenLabs behind it (test/fakes/elevenlabs.js, which logs when each request arrived and its first byte left).
// The Worker's own time is the client's time to the first byte less the fake's. Through `wrangler dev` and through
// the same Worker in workerd without the dev proxy (Miniflare), as the relay figures are.
import { median, ms, num, percentile, summaryRow, table } from './report.mjs';
import { tenantHeaders } from './support.mjs';

export const title = 'Spoken replies (issue 16)';

const TARGET_MS = 300;
const REQUESTS = 40;
const WARMUP = 3;
const SENTENCES = [
  'A fine-line wolf would suit your forearm.',
  'Shall we add a crescent moon above it?',
  'Black and grey keeps the lines crisp as the tattoo ages.',
  'About three inches tall fits the inner forearm well.',
];

async function fakeLog(fake) {
  return (await (await fetch(`${fake.url}/__fake/log`)).json()).requests.filter((r) => r.stream);
}

/** One POST /v1/tts; resolves with the client's time to the first body byte and the fake's share of it. */
async function once(worker, fake, text, firstByteMs) {
  await fetch(`${fake.url}/__fake/next`, { method: 'POST', body: JSON.stringify({ responses: [{ firstByteMs }] }) });
  const t0 = performance.now();
  const res = await fetch(`${worker.url}/v1/tts`, {
    method: 'POST',
    headers: tenantHeaders(worker, { 'Content-Type': 'application/json' }),
    body: JSON.stringify({ text, uid: 'bench' }),
  });
  if (res.status !== 200) throw new Error(`POST /v1/tts answered ${res.status}: ${await res.text()}`);
  const reader = res.body.getReader();
  const first = await reader.read();
  const t1 = performance.now();
  if (first.done || !first.value?.byteLength) throw new Error('POST /v1/tts answered no audio');
  while (!(await reader.read()).done);
  const entry = (await fakeLog(fake)).at(-1);
  const upstream = entry.firstByteAt - entry.receivedAt;
  return { total: t1 - t0, upstream, ours: t1 - t0 - upstream };
}

async function series(worker, fake, firstByteMs) {
  const cold = await once(worker, fake, SENTENCES[0], firstByteMs);
  for (let i = 1; i < WARMUP; i++) await once(worker, fake, SENTENCES[i % SENTENCES.length], firstByteMs);
  const runs = [];
  for (let i = 0; i < REQUESTS; i++) runs.push(await once(worker, fake, SENTENCES[i % SENTENCES.length], firstByteMs));
  return { cold, runs };
}

export async function run(ctx) {
  const fake = await ctx.fakeElevenLabs();
  const vars = await ctx.elevenLabsVars();
  const paths = [
    ['wrangler dev', await ctx.startWorker(vars, 'sandbox, fake ElevenLabs')],
    ['workerd (Miniflare, no dev proxy)', await ctx.startRuntimeWorker(vars, 'fake ElevenLabs')],
  ];
  const rows = [];
  const summary = [];
  for (const [path, worker] of paths) {
    for (const [i, firstByteMs] of [0, 150].entries()) {
      const { cold, runs } = await series(worker, fake, firstByteMs);
      const ours = runs.map((r) => r.ours);
      const total = runs.map((r) => r.total);
      rows.push([
        path,
        `${firstByteMs} ms`,
        num(median(total), 1),
        num(percentile(total, 95), 1),
        num(median(ours), 1),
        num(percentile(ours, 95), 1),
        i === 0 ? num(cold.ours, 1) : '(warm)',
      ]);
      if (firstByteMs === 150) {
        summary.push(
          summaryRow(
            'speech',
            `reply text -> first audio byte, our time p95 (${path})`,
            ms(percentile(ours, 95)),
            `< ${TARGET_MS} ms`,
            percentile(ours, 95) < TARGET_MS,
          ),
        );
      }
    }
  }
  table(
    `POST /v1/tts (one sentence) -> first audio byte at the client, ${REQUESTS} requests each after ${WARMUP} warm-up (ms)`,
    [
      'path',
      'ElevenLabs first byte',
      '>total median',
      '>total p95',
      '>ours median',
      '>ours p95',
      ">isolate's first request, ours",
    ],
    rows,
    [
      `"Ours" is the client's time to the first byte less the fake ElevenLabs' own (request in -> first byte out, as it logged):`,
      `the tenant and Origin check, the flag, the characters taken from the monthly limit (a Durable Object), the voice,`,
      `both hops of the proxying and the stream setup. The first request also reads the account's voice list (GET /v1/voices,`,
      `then cached per isolate). Target: under ${TARGET_MS} ms of our own time. The widget asks for a reply's first sentence alone,`,
      `as soon as its sentence splitter (the avatar's) sees it end, and plays the audio as it arrives (Media Source).`,
    ],
  );
  return summary;
}
