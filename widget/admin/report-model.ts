// The daily report's and the alerts' wording as pure functions: metric names for people, values in their unit, and
// the alerts in the order an on-call person reads them.
import { formatCount, formatMs, formatRate, formatUsd, NO_DATA } from './analytics-model.ts';
import type { AlertEpisode, ReportCheck } from './api.ts';

const LABELS: Record<string, string> = {
  connection_success: 'Connection success',
  error_rate: 'Error rate',
  voice_error_rate: 'Voice error rate',
  tts_p95_ms: 'Voice synthesis p95',
  page_p95_ms: 'Page p95',
  api_p95_ms: 'API p95',
  avatar_success: 'Avatar success',
  avatar_failure_rate: 'Avatar failures',
  avatar_sync_delay_ms: 'Avatar sync delay',
  sync_delay_ms: 'Avatar sync delay',
  cost_usd: 'Cost',
  api_errors: 'API errors',
};

/** A metric id as a person says it; an id the console does not know yet is shown as it is. */
export const metricLabel = (metric: string): string => LABELS[metric] ?? metric;

/** The unit follows from the id's naming: `_ms` milliseconds, `_usd` dollars, rates and successes fractions. */
export function formatMetric(metric: string, value: number | null): string {
  if (value === null) return NO_DATA;
  if (metric.endsWith('_ms')) return formatMs(value);
  if (metric.endsWith('_usd')) return formatUsd(value);
  if (/(rate|success|failure)/.test(metric)) return formatRate(value);
  return Number.isInteger(value) ? formatCount(value) : String(Math.round(value * 100) / 100);
}

export const CHECK_STATUS: Record<ReportCheck['status'], string> = { pass: 'Pass', fail: 'Fail', no_data: 'No data' };
/** Beside the word, not instead of it: the result never rests on colour alone. */
export const CHECK_ICON: Record<ReportCheck['status'], string> = { pass: '✓', fail: '✕', no_data: '–' };

/** "50% → 75%", or "50%" when the plan names no next step. */
export function rolloutText(rollout: number, target: number | null): string {
  return target === null || target === rollout ? `${rollout}%` : `${rollout}% → ${target}%`;
}

/** Open episodes first, each group newest first. */
export function sortAlerts(alerts: AlertEpisode[]): AlertEpisode[] {
  return [...alerts].sort(
    (a, b) => Number(a.closedAt !== null) - Number(b.closedAt !== null) || (a.openedAt < b.openedAt ? 1 : -1),
  );
}

/** "7.2% (threshold 2%)" */
export const alertValue = (a: AlertEpisode): string =>
  `${formatMetric(a.metric, a.value)} (threshold ${formatMetric(a.metric, a.threshold)})`;

const stamp = (timeZone?: string) =>
  new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', ...(timeZone ? { timeZone } : {}) });

/** "Nov 23, 2026, 6:00 PM" in the reader's time zone (or the one given). */
export const formatWhen = (iso: string, timeZone?: string): string => stamp(timeZone).format(new Date(iso));

/** How long an episode lasted: "45 min", "6 h 10 min", "2 d 3 h". */
export function formatDuration(fromIso: string, toIso: string): string {
  const min = Math.max(0, Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 60_000));
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 24) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  return h % 24 ? `${Math.floor(h / 24)} d ${h % 24} h` : `${Math.floor(h / 24)} d`;
}
