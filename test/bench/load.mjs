// HTTP load with autocannon's programmatic API: bounded in time, only against 127.0.0.1.
import autocannon from 'autocannon';

/**
 * Runs `warmupSeconds` of load (discarded), then `seconds` measured, at `connections` concurrent connections.
 * Returns successful requests per second, latency percentiles (ms) and what went wrong (non-2xx, errors).
 */
export async function measureLoad({ url, headers = {}, connections = 50, seconds = 5, warmupSeconds = 1 }) {
  if (!new URL(url).hostname.match(/^127\.0\.0\.1$/)) throw new Error(`load only against 127.0.0.1, not ${url}`);
  const opts = { url, headers, connections, timeout: 10, pipelining: 1 };
  if (warmupSeconds > 0) await autocannon({ ...opts, duration: warmupSeconds });
  const r = await autocannon({ ...opts, duration: seconds });
  const ok = r['2xx'] ?? 0;
  return {
    rps: ok / r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    ok,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    statusCodes: Object.keys(r.statusCodeStats ?? {}).join(','),
  };
}
