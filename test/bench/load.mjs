// HTTP load with autocannon's programmatic API: bounded in time, only against 127.0.0.1. Every response time is
// kept, so percentiles over several runs (interleaved comparisons) are exact.
import autocannon from 'autocannon';
import { percentile } from './report.mjs';

function checkTarget(url) {
  if (new URL(url).hostname !== '127.0.0.1') throw new Error(`load only against 127.0.0.1, not ${url}`);
}

/** One bounded autocannon run. */
async function runOnce({ url, headers = {}, connections }, seconds) {
  const latencies = [];
  const tracker = autocannon({ url, headers, connections, duration: seconds, timeout: 10, pipelining: 1 });
  tracker.on('response', (_client, statusCode, _bytes, responseTime) => {
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
  });
  const r = await tracker;
  return { ok: r['2xx'] ?? 0, non2xx: r.non2xx, errors: r.errors, seconds: r.duration, latencies };
}

function combine(parts) {
  const latencies = parts.flatMap((p) => p.latencies);
  const ok = parts.reduce((n, p) => n + p.ok, 0);
  const seconds = parts.reduce((n, p) => n + p.seconds, 0);
  return {
    rps: ok / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    ok,
    non2xx: parts.reduce((n, p) => n + p.non2xx, 0),
    errors: parts.reduce((n, p) => n + p.errors, 0),
    seconds,
  };
}

/** `warmupSeconds` of load (discarded), then `seconds` measured: successful requests per second and latency (ms). */
export async function measureLoad({ url, headers = {}, connections = 50, seconds = 5, warmupSeconds = 1 }) {
  checkTarget(url);
  const target = { url, headers, connections };
  if (warmupSeconds > 0) await runOnce(target, warmupSeconds);
  return combine([await runOnce(target, seconds)]);
}

/**
 * Measures several targets side by side: each warmed up, then `seconds` each in slices of about a second, taking
 * turns A B, B A, A B ... so that bursts of other work on a shared machine fall on all of them alike. A target's
 * optional `enter()` runs (unmeasured) whenever the turn passes to it, e.g. to switch the server's state.
 * Returns one result per target, in order.
 */
export async function compareLoads(
  targets,
  { connections = 50, seconds = 5, warmupSeconds = 1, sliceSeconds = 1 } = {},
) {
  for (const t of targets) checkTarget(t.url);
  let current = -1;
  const turnTo = async (i) => {
    if (current !== i) await targets[i].enter?.();
    current = i;
  };
  for (const i of targets.keys()) {
    await turnTo(i);
    if (warmupSeconds > 0) await runOnce({ ...targets[i], connections }, warmupSeconds);
  }
  const parts = targets.map(() => []);
  const rounds = Math.max(1, Math.round(seconds / sliceSeconds));
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 ? [...targets.keys()] : [...targets.keys()].reverse();
    for (const i of order) {
      await turnTo(i);
      parts[i].push(await runOnce({ ...targets[i], connections }, seconds / rounds));
    }
  }
  return parts.map(combine);
}
