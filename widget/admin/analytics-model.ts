// The Analytics section's logic as pure functions: date ranges, number formats, and an AnalyticsResponse turned into
// chart specs (series, a summary sentence, a data table) that the chart element only draws. No DOM, no clock.
import type { AnalyticsDay, AnalyticsMetrics, AnalyticsResponse } from './api.ts';

/** A range with nothing measured: every count zero, every rate and percentile null (what the Worker answers). */
export function zeroMetrics(): AnalyticsMetrics {
  return {
    sessions: { attempts: 0, connected: 0, successRate: null },
    connectMs: { p50: null, p95: null },
    fallbacks: { byReason: {} },
    errors: { byCode: {}, rate: null },
    modes: {},
    avatar: { started: 0, fallbacks: 0, minutes: 0, costUsd: 0, syncMs: { p50: null, p95: null } },
    generations: { requested: 0, done: 0, failed: 0, firstConceptMs: { p50: null, p95: null } },
    tts: { characters: 0, synthMs: { p95: null } },
    costUsd: 0,
    pageMs: { p50: null, p95: null },
  };
}

/** The Worker's MAX_ANALYTICS_DAYS (worker/routes/admin/schemas.ts; a test keeps the two equal). */
export const MAX_RANGE_DAYS = 92;

const DAY_MS = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar day in UTC, as the analytics count them. */
export const utcDay = (d = new Date()): string => d.toISOString().slice(0, 10);

export function isDay(s: string): boolean {
  const t = Date.parse(`${s}T00:00:00Z`);
  return DATE.test(s) && Number.isFinite(t) && utcDay(new Date(t)) === s;
}

export const addDays = (day: string, n: number): string =>
  utcDay(new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS));

/** Days from `from` to `to`, both included. */
export const dayCount = (from: string, to: string): number => (Date.parse(to) - Date.parse(from)) / DAY_MS + 1;

/** The last `n` days up to and including `today`. */
export const lastDays = (n: number, today: string) => ({ from: addDays(today, 1 - n), to: today });

export interface RangeProblems {
  from?: string;
  to?: string;
}

/** The Worker's own rules (AnalyticsQuery), checked before asking, in the same words. */
export function rangeProblems(from: string, to: string): RangeProblems {
  const problems: RangeProblems = {};
  if (!isDay(from)) problems.from = 'must be a date YYYY-MM-DD';
  if (!isDay(to)) problems.to = 'must be a date YYYY-MM-DD';
  if (problems.from || problems.to) return problems;
  if (from > to) problems.to = 'must not be before from';
  else if (dayCount(from, to) > MAX_RANGE_DAYS) {
    problems.to = `must be at most ${MAX_RANGE_DAYS - 1} days after from (a range covers at most ${MAX_RANGE_DAYS} days)`;
  }
  return problems;
}

export const NO_DATA = 'no data';

const counts = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimals = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
// Always one decimal: rates line up in a column (96.0% over 95.5%).
const percent = new Intl.NumberFormat('en-US', {
  style: 'percent',
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});
const dollars = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const shortDay = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
const longDay = new Intl.DateTimeFormat('en-US', {
  weekday: 'short',
  month: 'short',
  day: 'numeric',
  year: 'numeric',
  timeZone: 'UTC',
});

export const formatCount = (n: number): string => counts.format(n);

/** A fraction 0..1 as a percentage; null (nothing to divide) as "no data". */
export const formatRate = (r: number | null): string => (r === null ? NO_DATA : percent.format(r));

/** Milliseconds as "420 ms" or, from a second up, "1.4 s". */
export function formatMs(ms: number | null): string {
  if (ms === null) return NO_DATA;
  return ms < 1000 ? `${counts.format(ms)} ms` : `${decimals.format(ms / 1000)} s`;
}

export function formatUsd(n: number): string {
  return n > 0 && n < 0.005 ? '< $0.01' : dollars.format(n);
}

/** "Nov 3" (axis, table) or "Tue, Nov 3, 2026". */
export const formatDay = (day: string, style: 'short' | 'long' = 'short'): string =>
  (style === 'short' ? shortDay : longDay).format(new Date(`${day}T00:00:00Z`));

export type Unit = 'count' | 'rate' | 'ms' | 'usd';

export function formatValue(unit: Unit, v: number | null): string {
  if (unit === 'rate') return formatRate(v);
  if (unit === 'ms') return formatMs(v);
  if (v === null) return NO_DATA;
  return unit === 'usd' ? formatUsd(v) : formatCount(v);
}

/**
 * Series colours, each at least 3:1 against the console's white (WCAG 1.4.11; a test measures them) and told apart
 * by more than hue where it matters: lines are solid or dashed, stacked bars are separated by a white edge.
 */
export const PALETTE = ['#0b5cad', '#b45309', '#0f766e', '#7c3aed', '#be185d', '#4f5863'] as const;
export const OTHER_COLOR = '#4f5863';

export interface ChartSeries {
  label: string;
  /** Bars stack in the order given, the first at the bottom; lines are drawn over them. */
  kind: 'bar' | 'line';
  unit: Unit;
  values: Array<number | null>;
  color: string;
  dashed?: boolean;
}

export interface ChartTable {
  head: string[];
  rows: string[][];
  /** The range's totals, the table's last row. */
  foot: string[];
}

export interface ChartSpec {
  id: 'sessions' | 'connect' | 'ready' | 'fallbacks' | 'errors' | 'cost';
  title: string;
  /** YYYY-MM-DD, one per point. */
  dates: string[];
  series: ChartSeries[];
  /** One or two sentences a person reads instead of the picture (the chart's caption). */
  summary: string;
  /** Set when there is nothing to draw: the sentence shown instead of the chart. */
  empty: string | null;
  table: ChartTable;
}

/** The axis top: the next 1, 2, 2.5 or 5 times a power of ten above the data, so the top tick is a round number. */
export function niceMax(max: number, unit: Unit): number {
  if (unit === 'rate') return max >= 0.5 ? 1 : max > 0 ? niceMax(max * 100, 'count') / 100 : 0.01;
  if (!(max > 0)) return unit === 'usd' ? 1 : 4;
  const step = 10 ** Math.floor(Math.log10(max));
  return ([1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].find((f) => f * step >= max * 1.02) ?? 10) * step;
}

/** Running totals of bars stacked in order: what each bar reaches, so the chart draws them tallest first. */
export function stack(values: Array<Array<number | null>>): number[][] {
  const sums: number[][] = [];
  values.forEach((row, i) => sums.push(row.map((v, j) => (v ?? 0) + (i ? sums[i - 1]![j]! : 0))));
  return sums;
}

/** Categories (reasons, codes) by their total over the range, the largest `max - 1` kept and the rest "Other". */
export function topKeys(records: Array<Record<string, number>>, max = 5): { keys: string[]; other: boolean } {
  const totals = new Map<string, number>();
  for (const r of records) for (const [k, n] of Object.entries(r)) totals.set(k, (totals.get(k) ?? 0) + n);
  const ranked = [...totals].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  if (ranked.length <= max) return { keys: ranked.map(([k]) => k), other: false };
  return { keys: ranked.slice(0, max - 1).map(([k]) => k), other: true };
}

const sum = (xs: Array<number | null>) => xs.reduce<number>((a, b) => a + (b ?? 0), 0);

/** The day with the highest (or lowest) value, ignoring days without one. */
function extreme(dates: string[], values: Array<number | null>, pick: 'max' | 'min') {
  let best: { day: string; value: number } | null = null;
  values.forEach((v, i) => {
    if (v === null) return;
    if (!best || (pick === 'max' ? v > best.value : v < best.value)) best = { day: dates[i]!, value: v };
  });
  return best as { day: string; value: number } | null;
}

const span = (r: AnalyticsResponse) =>
  r.from === r.to ? `On ${formatDay(r.from)}` : `From ${formatDay(r.from)} to ${formatDay(r.to)}`;

function table(days: AnalyticsDay[], head: string[], row: (m: AnalyticsMetrics) => string[], totals: AnalyticsMetrics) {
  return {
    head: ['Day', ...head],
    rows: days.map((d) => [formatDay(d.date), ...row(d)]),
    foot: ['Total', ...row(totals)],
  };
}

function sessionsChart(r: AnalyticsResponse, dates: string[]): ChartSpec {
  const { days, totals } = r;
  const failed = (m: AnalyticsMetrics) => Math.max(0, m.sessions.attempts - m.sessions.connected);
  const rate = days.map((d) => d.sessions.successRate);
  const low = extreme(dates, rate, 'min');
  const t = totals.sessions;
  const summary =
    `${span(r)}: ${formatCount(t.attempts)} session attempts, ${formatCount(t.connected)} connected ` +
    `(${formatRate(t.successRate)} success).` +
    (low && days.length > 1 ? ` Lowest daily success ${formatRate(low.value)} on ${formatDay(low.day)}.` : '');
  return {
    id: 'sessions',
    title: 'Sessions and success rate',
    dates,
    series: [
      {
        label: 'Connected',
        kind: 'bar',
        unit: 'count',
        values: days.map((d) => d.sessions.connected),
        color: PALETTE[0],
      },
      { label: 'Not connected', kind: 'bar', unit: 'count', values: days.map(failed), color: PALETTE[1] },
      { label: 'Success rate', kind: 'line', unit: 'rate', values: rate, color: '#1b1f24', dashed: true },
    ],
    summary,
    empty: t.attempts === 0 ? 'No session attempts in this range yet.' : null,
    table: table(
      days,
      ['Attempts', 'Connected', 'Success rate'],
      (m) => [formatCount(m.sessions.attempts), formatCount(m.sessions.connected), formatRate(m.sessions.successRate)],
      totals,
    ),
  };
}

/** One line of a timing chart: its label, its figure of a day (or of the range), its look. */
interface TimingLine {
  label: string;
  pick: (m: AnalyticsMetrics) => number | null;
  color: string;
  dashed?: boolean;
}

/** A chart of timings per day, a line each; its data table has the same figures, and the range's in its foot. */
function timingChart(
  r: AnalyticsResponse,
  dates: string[],
  head: Pick<ChartSpec, 'id' | 'title' | 'summary'> & { empty: string },
  lines: TimingLine[],
): ChartSpec {
  const values = lines.map((line) => r.days.map(line.pick));
  return {
    ...head,
    dates,
    series: lines.map(({ label, color, dashed }, i) => ({
      label,
      kind: 'line' as const,
      unit: 'ms' as const,
      values: values[i]!,
      color,
      ...(dashed ? { dashed } : {}),
    })),
    empty: values.flat().every((v) => v === null) ? head.empty : null,
    table: table(
      r.days,
      lines.map((line) => line.label),
      (m) => lines.map((line) => formatMs(line.pick(m))),
      r.totals,
    ),
  };
}

/** " Slowest day Nov 3 (p95 2.1 s)." over a range of more than one day. */
function slowestDay(r: AnalyticsResponse, dates: string[], pick: (m: AnalyticsMetrics) => number | null): string {
  const high = extreme(dates, r.days.map(pick), 'max');
  return high && r.days.length > 1 ? ` Slowest day ${formatDay(high.day)} (p95 ${formatMs(high.value)}).` : '';
}

function connectChart(r: AnalyticsResponse, dates: string[]): ChartSpec {
  const p95 = (m: AnalyticsMetrics) => m.connectMs.p95;
  const summary =
    `${span(r)}: median time to connect ${formatMs(r.totals.connectMs.p50)}, 95th percentile ` +
    `${formatMs(r.totals.connectMs.p95)}.${slowestDay(r, dates, p95)}`;
  const empty = 'No connect times measured in this range yet.';
  return timingChart(r, dates, { id: 'connect', title: 'Connect time', summary, empty }, [
    { label: 'p50', pick: (m) => m.connectMs.p50, color: PALETTE[0] },
    { label: 'p95', pick: p95, color: PALETTE[1], dashed: true },
  ]);
}

/** How soon the widget answers on a page, and how closely the avatar follows the reply (checks page_p95_ms, ...). */
function readyChart(r: AnalyticsResponse, dates: string[]): ChartSpec {
  const p50 = (m: AnalyticsMetrics) => m.pageMs?.p50 ?? null;
  const p95 = (m: AnalyticsMetrics) => m.pageMs?.p95 ?? null;
  const sync = (m: AnalyticsMetrics) => m.avatar.syncMs?.p95 ?? null;
  const avatar = sync(r.totals);
  const summary =
    `${span(r)}: the widget was ready ${formatMs(p50(r.totals))} after it met the page (95th percentile ` +
    `${formatMs(p95(r.totals))})` +
    (avatar === null ? '.' : `; the avatar began a reply ${formatMs(avatar)} after its text (p95).`) +
    slowestDay(r, dates, p95);
  const empty = 'No page or avatar timings in this range yet.';
  return timingChart(r, dates, { id: 'ready', title: 'Widget ready and avatar sync', summary, empty }, [
    { label: 'Ready p50', pick: p50, color: PALETTE[0] },
    { label: 'Ready p95', pick: p95, color: PALETTE[1], dashed: true },
    { label: 'Avatar sync p95', pick: sync, color: PALETTE[3], dashed: true },
  ]);
}

/** Stacked bars of one count per category (fallback reasons, error codes), the small ones folded into "Other". */
function categorySeries(days: AnalyticsDay[], pick: (m: AnalyticsMetrics) => Record<string, number>) {
  const { keys, other } = topKeys(days.map(pick));
  const count = (m: AnalyticsMetrics, k: string) => pick(m)[k] ?? 0;
  const rest = (m: AnalyticsMetrics) => sum(Object.entries(pick(m)).map(([k, n]) => (keys.includes(k) ? 0 : n)));
  const series: ChartSeries[] = keys.map((k, i) => ({
    label: k,
    kind: 'bar',
    unit: 'count',
    values: days.map((d) => count(d, k)),
    color: PALETTE[i]!,
  }));
  if (other) series.push({ label: 'Other', kind: 'bar', unit: 'count', values: days.map(rest), color: OTHER_COLOR });
  const cells = (m: AnalyticsMetrics) => [
    ...keys.map((k) => formatCount(count(m, k))),
    ...(other ? [formatCount(rest(m))] : []),
    formatCount(sum(Object.values(pick(m)))),
  ];
  return { series, head: [...series.map((s) => s.label), 'Total'], cells };
}

/** "avatar_failed 30, weak_network 13": the categories of the range, largest first. */
function breakdown(record: Record<string, number>, keys: string[]) {
  const rest = sum(Object.entries(record).map(([k, n]) => (keys.includes(k) ? 0 : n)));
  return [...keys.map((k) => `${k} ${formatCount(record[k] ?? 0)}`), ...(rest ? [`other ${formatCount(rest)}`] : [])];
}

function fallbacksChart(r: AnalyticsResponse, dates: string[]): ChartSpec {
  const { days, totals } = r;
  const pick = (m: AnalyticsMetrics) => m.fallbacks.byReason;
  const { series, head, cells } = categorySeries(days, pick);
  const total = sum(Object.values(totals.fallbacks.byReason));
  const keys = topKeys([totals.fallbacks.byReason]).keys;
  const most = extreme(
    dates,
    days.map((d) => sum(Object.values(d.fallbacks.byReason))),
    'max',
  );
  const summary =
    `${span(r)}: ${formatCount(total)} ${total === 1 ? 'fallback' : 'fallbacks'}` +
    (total ? ` (${breakdown(totals.fallbacks.byReason, keys).join(', ')}).` : '.') +
    (most && most.value > 0 && days.length > 1 ? ` Most on ${formatDay(most.day)} (${formatCount(most.value)}).` : '');
  return {
    id: 'fallbacks',
    title: 'Fallbacks by reason',
    dates,
    series,
    summary,
    empty: total === 0 ? 'No fallbacks in this range.' : null,
    table: table(days, head, cells, totals),
  };
}

function errorsChart(r: AnalyticsResponse, dates: string[]): ChartSpec {
  const { days, totals } = r;
  const pick = (m: AnalyticsMetrics) => m.errors.byCode;
  const { series, head, cells } = categorySeries(days, pick);
  const total = sum(Object.values(totals.errors.byCode));
  const keys = topKeys([totals.errors.byCode]).keys;
  const rate = days.map((d) => d.errors.rate);
  const summary =
    `${span(r)}: ${formatCount(total)} ${total === 1 ? 'error' : 'errors'}, ${formatRate(totals.errors.rate)} ` +
    `of sessions` +
    (total ? ` (${breakdown(totals.errors.byCode, keys).join(', ')}).` : '.');
  return {
    id: 'errors',
    title: 'Errors',
    dates,
    series: [
      ...series,
      { label: 'Error rate', kind: 'line', unit: 'rate', values: rate, color: '#1b1f24', dashed: true },
    ],
    summary,
    empty: total === 0 ? 'No errors in this range.' : null,
    table: table(days, [...head, 'Rate'], (m) => [...cells(m), formatRate(m.errors.rate)], totals),
  };
}

function costChart(r: AnalyticsResponse, dates: string[]): ChartSpec {
  const { days, totals } = r;
  // Rounded to hundredths of a cent: the difference of two sums of floats is not exact.
  const other = (m: AnalyticsMetrics) => Math.max(0, Math.round((m.costUsd - m.avatar.costUsd) * 1e4) / 1e4);
  const high = extreme(
    dates,
    days.map((d) => d.costUsd),
    'max',
  );
  const summary =
    `${span(r)}: ${formatUsd(totals.costUsd)} in all, ${formatUsd(totals.avatar.costUsd)} of it avatar minutes.` +
    (high && high.value > 0 && days.length > 1 ? ` Highest ${formatUsd(high.value)} on ${formatDay(high.day)}.` : '');
  return {
    id: 'cost',
    title: 'Cost per day',
    dates,
    series: [
      { label: 'Voice, images and speech', kind: 'bar', unit: 'usd', values: days.map(other), color: PALETTE[2] },
      { label: 'Avatar', kind: 'bar', unit: 'usd', values: days.map((d) => d.avatar.costUsd), color: PALETTE[3] },
    ],
    summary,
    empty: totals.costUsd === 0 ? 'No cost recorded in this range.' : null,
    table: table(
      days,
      ['Voice, images and speech', 'Avatar', 'Total'],
      (m) => [formatUsd(other(m)), formatUsd(m.avatar.costUsd), formatUsd(m.costUsd)],
      totals,
    ),
  };
}

/** The section's six charts, in the order shown. */
export function analyticsCharts(r: AnalyticsResponse): ChartSpec[] {
  const dates = r.days.map((d) => d.date);
  const charts = [sessionsChart, connectChart, readyChart, fallbacksChart, errorsChart, costChart];
  return charts.map((chart) => chart(r, dates));
}

/** Nothing at all was recorded in the range: the section shows one empty state instead of six empty charts. */
export const hasNoData = ({ totals: t }: AnalyticsResponse): boolean =>
  t.sessions.attempts === 0 && t.costUsd === 0 && sum(Object.values(t.errors.byCode)) === 0;

export interface Kpi {
  key: string;
  label: string;
  value: string;
}

/** The range's headline numbers, above the charts. */
export function kpis(t: AnalyticsMetrics): Kpi[] {
  return [
    { key: 'sessions', label: 'Session attempts', value: formatCount(t.sessions.attempts) },
    { key: 'success', label: 'Success rate', value: formatRate(t.sessions.successRate) },
    { key: 'connect-p50', label: 'Connect p50', value: formatMs(t.connectMs.p50) },
    { key: 'connect-p95', label: 'Connect p95', value: formatMs(t.connectMs.p95) },
    { key: 'fallbacks', label: 'Fallbacks', value: formatCount(sum(Object.values(t.fallbacks.byReason))) },
    { key: 'errors', label: 'Error rate', value: formatRate(t.errors.rate) },
    { key: 'cost', label: 'Cost', value: formatUsd(t.costUsd) },
  ];
}
