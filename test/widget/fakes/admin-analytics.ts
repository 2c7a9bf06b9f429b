// The analytics part of the fake admin API (test/widget/fakes/admin-api.ts): GET /admin/analytics, /admin/report and
// /admin/alerts answered in the contract's types (worker/analytics/contract.ts) from per-tenant, per-day figures a
// test or the screenshot page sets. Queries are validated by the caller with the Worker's schemas.
//
// What is the fake's own, not the Worker's: figures are stored already rolled up per tenant and day; merging days or
// tenants takes the percentiles as the mean of the parts weighted by what they measured (the Worker merges histogram
// buckets), rates as errors / attempts and connected / attempts; a day without a report set gets one with every
// check `no_data`; the markdown is a plain rendering of the JSON, not the rollout plan's template.
import type {
  AlertEpisode,
  AnalyticsDay,
  AnalyticsMetrics,
  AnalyticsResponse,
  DailyReport,
  Percentiles,
} from '../../../worker/analytics/contract.ts';
import { zeroMetrics } from '../../../widget/admin/analytics-model.ts';
import type { FlagConfig } from '../../../widget/admin/api.ts';

// One empty range for the panel and the fake: they cannot drift apart.
export { zeroMetrics };

const addRecord = (a: Record<string, number>, b: Record<string, number>) => {
  const out = { ...a };
  for (const [k, n] of Object.entries(b)) out[k] = (out[k] ?? 0) + n;
  return out;
};

/** Weighted mean of the parts that measured something; null when none did. */
function mean(parts: Array<[number | null, number]>): number | null {
  const measured = parts.filter((p): p is [number, number] => p[0] !== null && p[1] > 0);
  const weight = measured.reduce((a, [, w]) => a + w, 0);
  return weight ? Math.round(measured.reduce((a, [v, w]) => a + v * w, 0) / weight) : null;
}

const percentiles = (parts: Array<[Percentiles, number]>): Percentiles => ({
  p50: mean(parts.map(([p, w]) => [p.p50, w])),
  p95: mean(parts.map(([p, w]) => [p.p95, w])),
});

const cents = (n: number) => Math.round(n * 10000) / 10000;

export function mergeMetrics(parts: AnalyticsMetrics[]): AnalyticsMetrics {
  const m = zeroMetrics();
  for (const p of parts) {
    m.sessions.attempts += p.sessions.attempts;
    m.sessions.connected += p.sessions.connected;
    m.fallbacks.byReason = addRecord(m.fallbacks.byReason, p.fallbacks.byReason);
    m.errors.byCode = addRecord(m.errors.byCode, p.errors.byCode);
    m.modes = addRecord(m.modes, p.modes);
    m.avatar.started += p.avatar.started;
    m.avatar.fallbacks += p.avatar.fallbacks;
    m.avatar.minutes += p.avatar.minutes;
    m.avatar.costUsd = cents(m.avatar.costUsd + p.avatar.costUsd);
    m.generations.requested += p.generations.requested;
    m.generations.done += p.generations.done;
    m.generations.failed += p.generations.failed;
    m.tts.characters += p.tts.characters;
    m.costUsd = cents(m.costUsd + p.costUsd);
  }
  const errors = Object.values(m.errors.byCode).reduce((a, b) => a + b, 0);
  m.sessions.successRate = m.sessions.attempts ? m.sessions.connected / m.sessions.attempts : null;
  m.errors.rate = m.sessions.attempts ? errors / m.sessions.attempts : null;
  m.connectMs = percentiles(parts.map((p) => [p.connectMs, p.sessions.connected]));
  m.generations.firstConceptMs = percentiles(parts.map((p) => [p.generations.firstConceptMs, p.generations.done]));
  m.tts.synthMs = { p95: mean(parts.map((p) => [p.tts.synthMs.p95, p.tts.characters])) };
  // As the Worker answers (worker/analytics/query.ts): always both, null when nothing was measured.
  m.pageMs = percentiles(parts.map((p) => [p.pageMs ?? { p50: null, p95: null }, p.sessions.attempts]));
  m.avatar.syncMs = percentiles(parts.map((p) => [p.avatar.syncMs ?? { p50: null, p95: null }, p.avatar.started]));
  return m;
}

const DAY_MS = 86_400_000;
export const dayAfter = (day: string, n = 1) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

/** Per tenant, per day (YYYY-MM-DD): the figures as the Worker's rollups hold them. */
export type AnalyticsStore = Record<string, Record<string, AnalyticsMetrics>>;

export function analyticsAnswer(
  store: AnalyticsStore,
  tenants: string[],
  tenant: string | null,
  from: string,
  to: string,
) {
  const days: AnalyticsDay[] = [];
  for (let day = from; day <= to; day = dayAfter(day)) {
    const parts = tenants.map((t) => store[t]?.[day]).filter((m): m is AnalyticsMetrics => !!m);
    days.push({ date: day, ...mergeMetrics(parts) });
  }
  const answer: AnalyticsResponse = { tenant, from, to, totals: mergeMetrics(days), days };
  return answer;
}

/** The report of a day no test set: every flag, every check without data, so nothing decides a GO. */
export function emptyReport(date: string, flags: FlagConfig[]): DailyReport {
  const check = (metric: string, threshold: string) => ({ metric, value: null, threshold, status: 'no_data' as const });
  return {
    date,
    generatedAt: `${dayAfter(date)}T00:05:00.000Z`,
    health: [check('connection_success', '>= 0.95'), check('error_rate', '< 0.02')],
    features: flags.map((f) => ({
      flag: f.key,
      enabled: f.enabled,
      rollout: f.rollout,
      target: null,
      verdict: 'NO-GO' as const,
      checks: [check('error_rate', '< 0.02')],
      reasons: ['No data for this day: nothing shows it is safe to widen.'],
    })),
  };
}

export function reportMarkdown(r: DailyReport): string {
  const row = (c: DailyReport['health'][number]) =>
    `| ${c.metric} | ${c.value ?? '–'} | ${c.threshold} | ${c.status} |`;
  const head = '| Metric | Value | Threshold | Status |\n| --- | --- | --- | --- |';
  return [
    `# Daily rollout report ${r.date}`,
    '',
    '## Health',
    '',
    head,
    ...r.health.map(row),
    ...r.features.flatMap((f) => [
      '',
      `## ${f.flag}: ${f.verdict}`,
      '',
      `Rollout ${f.rollout}%${f.target === null ? '' : ` (target ${f.target}%)`}, ` +
        `${f.enabled ? 'enabled' : 'disabled'}.`,
      '',
      head,
      ...f.checks.map(row),
      '',
      ...f.reasons.map((reason) => `- ${reason}`),
    ]),
    '',
  ].join('\n');
}

/** mulberry32: the same figures every run, so screenshots and tests see the same days. */
function random(seed: string): () => number {
  let a = [...seed].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 2654435761) >>> 0, 1779033703);
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Profile {
  /** Session attempts on an ordinary weekday. */
  sessions: number;
  /** Share of attempts that connect. */
  success: number;
  /** A bad day: more failures, fallbacks and errors. */
  badDay?: string;
}

/** Plausible figures for one tenant's day: weekends quieter, a bad day worse, avatar sessions a fifth. */
export function plausibleDay(tenant: string, day: string, p: Profile): AnalyticsMetrics {
  const rnd = random(`${tenant}:${day}`);
  const weekend = [0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay());
  const bad = day === p.badDay;
  const attempts = Math.round(p.sessions * (weekend ? 0.55 : 1) * (0.8 + rnd() * 0.4));
  const success = bad ? p.success - 0.09 : p.success - 0.02 + rnd() * 0.03;
  const connected = Math.min(attempts, Math.round(attempts * success));
  const avatarStarted = Math.round(connected * 0.2);
  const n = (x: number) => Math.round(x * (bad ? 3 : 1) * (0.6 + rnd() * 0.8));
  const byReason: Record<string, number> = {
    avatar_failed: n(avatarStarted * 0.06),
    weak_network: n(attempts * 0.015),
    webrtc_unavailable: n(attempts * 0.01),
    mic_denied: n(attempts * 0.008),
  };
  const byCode: Record<string, number> = {
    provider_timeout: n(attempts * 0.006),
    provider_error: n(attempts * 0.003),
    rate_limited: n(attempts * 0.002),
  };
  const errors = Object.values(byCode).reduce((a, b) => a + b, 0);
  const minutes = Math.round(avatarStarted * (2 + rnd() * 2));
  const avatarCost = cents(minutes * 0.1);
  const characters = Math.round(connected * (300 + rnd() * 200));
  const p50 = Math.round((bad ? 900 : 480) + rnd() * 120);
  const none = { p50: null, p95: null };
  return {
    sessions: { attempts, connected, successRate: attempts ? connected / attempts : null },
    connectMs: attempts ? { p50, p95: Math.round(p50 * (2.1 + rnd() * 0.6)) } : { p50: null, p95: null },
    fallbacks: { byReason: Object.fromEntries(Object.entries(byReason).filter(([, v]) => v > 0)) },
    errors: {
      byCode: Object.fromEntries(Object.entries(byCode).filter(([, v]) => v > 0)),
      rate: attempts ? errors / attempts : null,
    },
    modes: { webrtc: Math.round(connected * 0.6), websocket: Math.round(connected * 0.3), text: 0 },
    avatar: {
      started: avatarStarted,
      fallbacks: byReason.avatar_failed ?? 0,
      minutes,
      costUsd: avatarCost,
      syncMs: avatarStarted ? { p50: Math.round(280 + rnd() * 120), p95: Math.round(600 + rnd() * 300) } : none,
    },
    generations: {
      requested: Math.round(connected * 0.4),
      done: Math.round(connected * 0.38),
      failed: Math.round(connected * 0.02),
      firstConceptMs: { p50: Math.round(2400 + rnd() * 600), p95: Math.round(5200 + rnd() * 1500) },
    },
    tts: { characters, synthMs: { p95: Math.round(900 + rnd() * 400) } },
    costUsd: cents(avatarCost + connected * 0.045 + characters * 0.00003),
    pageMs: attempts ? { p50: Math.round(140 + rnd() * 60), p95: Math.round((bad ? 620 : 320) + rnd() * 120) } : none,
  };
}

/** `plausibleDay` for every day of a range, into the store. */
export function seedAnalytics(store: AnalyticsStore, tenant: string, from: string, to: string, p: Profile): void {
  store[tenant] ??= {};
  for (let day = from; day <= to; day = dayAfter(day)) store[tenant][day] = plausibleDay(tenant, day, p);
}

export function filterAlerts(alerts: AlertEpisode[], q: { tenant?: string; open?: boolean }): AlertEpisode[] {
  return alerts.filter(
    (a) =>
      (q.tenant === undefined || a.tenant === q.tenant) && (q.open === undefined || (a.closedAt === null) === q.open),
  );
}
