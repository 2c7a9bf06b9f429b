// Reads the rollups back (migration 0008) and shapes them as the admin API's contract (contract.ts).
import type { Env } from '../env.ts';
import { quantile } from './buckets.ts';
import type { AnalyticsDay, AnalyticsMetrics, Percentiles } from './contract.ts';

/** One day's (or a range's) raw sums: counters by metric, histograms by metric then bucket. */
export interface Aggregate {
  counters: Map<string, number>;
  histograms: Map<string, Map<number, number>>;
}

export const emptyAggregate = (): Aggregate => ({ counters: new Map(), histograms: new Map() });

export function mergeInto(into: Aggregate, from: Aggregate): Aggregate {
  for (const [k, n] of from.counters) into.counters.set(k, (into.counters.get(k) ?? 0) + n);
  for (const [k, buckets] of from.histograms) {
    const target = into.histograms.get(k) ?? new Map<number, number>();
    for (const [b, n] of buckets) target.set(b, (target.get(b) ?? 0) + n);
    into.histograms.set(k, target);
  }
  return into;
}

/** Every UTC day from `from` to `to` inclusive (YYYY-MM-DD). */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

/**
 * Sums per day over [from, to], for one tenant or all. `sinceHour` (with from === to) keeps only hours from then on:
 * the alerts look at the recent hours of today, not the whole day.
 */
export async function loadDays(
  env: Env,
  tenant: string | null,
  from: string,
  to: string,
  sinceHour = 0,
): Promise<Map<string, Aggregate>> {
  const where = `day BETWEEN ?1 AND ?2 AND hour >= ?3${tenant === null ? '' : ' AND tenant_id = ?4'}`;
  const params: (string | number)[] = [from, to, sinceHour, ...(tenant === null ? [] : [tenant])];
  const [counters, histograms] = await env.DB.batch<Record<string, unknown>>([
    env.DB.prepare(
      `SELECT day, metric, SUM(value) AS n FROM analytics_counters WHERE ${where} GROUP BY day, metric`,
    ).bind(...params),
    env.DB.prepare(
      `SELECT day, metric, bucket, SUM(count) AS n FROM analytics_histograms WHERE ${where} GROUP BY day, metric, bucket`,
    ).bind(...params),
  ]);
  const days = new Map<string, Aggregate>(daysBetween(from, to).map((d) => [d, emptyAggregate()]));
  for (const r of counters!.results as { day: string; metric: string; n: number }[]) {
    days.get(r.day)?.counters.set(r.metric, r.n);
  }
  for (const r of histograms!.results as { day: string; metric: string; bucket: number; n: number }[]) {
    const day = days.get(r.day);
    if (!day) continue;
    const buckets = day.histograms.get(r.metric) ?? new Map<number, number>();
    buckets.set(r.bucket, r.n);
    day.histograms.set(r.metric, buckets);
  }
  return days;
}

const round = (n: number, digits = 4) => Math.round(n * 10 ** digits) / 10 ** digits;
const ratio = (a: number, b: number) => (b > 0 ? round(a / b) : null);

/** `prefix<value>` counters as a record of value to count. */
function byValue(agg: Aggregate, prefix: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, n] of agg.counters) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = n;
  return out;
}

export const count = (agg: Aggregate, metric: string) => agg.counters.get(metric) ?? 0;

export function percentiles(agg: Aggregate, metric: string): Percentiles {
  const h = agg.histograms.get(metric) ?? new Map<number, number>();
  return { p50: quantile(h, 0.5), p95: quantile(h, 0.95) };
}

/**
 * Which source answers which figure: what the widget alone sees (connecting, fallbacks, errors a visitor met) comes
 * from the widget; what the server does (generations, avatar sessions and minutes, speech, cost) from the server.
 */
export function metricsOf(agg: Aggregate): AnalyticsMetrics {
  const attempts = count(agg, 'widget.connect_attempt');
  const connected = count(agg, 'widget.connect_result.ok=true');
  const errors = count(agg, 'widget.error');
  const serverFirst = percentiles(agg, 'server.generation_first_concept');
  return {
    sessions: {
      attempts,
      connected,
      successRate: ratio(connected, attempts),
      ended: count(agg, 'widget.session_end'),
      endedBy: byValue(agg, 'widget.session_end.reason='),
      turns: count(agg, 'widget.session_end.turns'),
    },
    connectMs: percentiles(agg, 'widget.connect_result'),
    fallbacks: { byReason: byValue(agg, 'widget.fallback.reason=') },
    errors: { byCode: byValue(agg, 'widget.error.code='), rate: ratio(errors, attempts) },
    modes: byValue(agg, 'widget.connect_result.connected.mode='),
    avatar: {
      started: count(agg, 'server.avatar_session.ok=true'),
      fallbacks: count(agg, 'widget.avatar_fallback'),
      minutes: round(count(agg, 'server.avatar_end.seconds') / 60, 2),
      costUsd: round(count(agg, 'cost.avatar.usd')),
      syncMs: percentiles(agg, 'widget.avatar_sync'),
    },
    generations: {
      requested: count(agg, 'server.generation_requested'),
      done: count(agg, 'server.generation_done'),
      failed: count(agg, 'server.generation_failed'),
      firstConceptMs: serverFirst.p50 === null ? percentiles(agg, 'widget.generation_first_concept') : serverFirst,
    },
    tts: { characters: count(agg, 'server.tts.characters'), synthMs: { p95: percentiles(agg, 'server.tts').p95 } },
    costUsd: round(count(agg, 'cost.usd')),
    pageMs: percentiles(agg, 'widget.page_ready'),
  };
}

export async function analytics(env: Env, tenant: string | null, from: string, to: string) {
  const days = await loadDays(env, tenant, from, to);
  const total = emptyAggregate();
  const out: AnalyticsDay[] = [];
  for (const [date, agg] of days) {
    mergeInto(total, agg);
    out.push({ date, ...metricsOf(agg) });
  }
  return { tenant, from, to, totals: metricsOf(total), days: out };
}
