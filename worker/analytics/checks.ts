// The health checks of the rollout plan, over an Aggregate (query.ts): used by the daily report and the alerts.
import type { ReportCheck } from './contract.ts';
import { count, percentiles, type Aggregate } from './query.ts';

/** The rollout plan's thresholds; a tenant overrides any of them in settings.alerts.thresholds. */
export const DEFAULT_THRESHOLDS = {
  /** Connected / attempted sessions, at least. */
  connectionSuccessMin: 0.95,
  /** Errors a visitor met / attempted sessions, under. */
  errorRateMax: 0.02,
  /** The same for voice modes (hands-free, push-to-talk), under. */
  voiceErrorRateMax: 0.01,
  /** Speech synthesis p95, under (ms). */
  ttsP95MsMax: 1500,
  /** API p95 (the session routes: bootstrap, session, ticket), under (ms). */
  apiP95MsMax: 300,
  /** Page p95: the widget's time from its script starting to its site's config (bootstrap) being in, under (ms). */
  pageP95MsMax: 500,
  /** Avatar sync delay p95: from a reply's first text to the avatar starting to say it, under (ms). */
  avatarSyncP95MsMax: 1000,
  /** Avatar sessions that started / asked for, at least. */
  avatarSuccessMin: 0.7,
  /** Avatar fallbacks / started avatars, under. */
  avatarFailureMax: 0.1,
  /** Failed / requested generations, under. */
  generationFailureMax: 0.02,
  /** Estimated cost of one day, at most (USD). */
  dailyBudgetUsd: 50,
  /** Fewer samples than this: `no_data`, so a handful of sessions never raises an alert or decides a verdict. */
  minSamples: 10,
};
export type Thresholds = typeof DEFAULT_THRESHOLDS;

type Status = ReportCheck['status'];

const check = (metric: string, value: number | null, threshold: string, ok: (v: number) => boolean, limit: number) => {
  const status: Status = value === null ? 'no_data' : ok(value) ? 'pass' : 'fail';
  return { metric, value: value === null ? null : Math.round(value * 10_000) / 10_000, threshold, status, limit };
};

export type Check = ReturnType<typeof check>;

/** Every check, by metric name. `budgetUsd` defaults to the thresholds' (the report over all tenants sums them). */
export function runChecks(agg: Aggregate, t: Thresholds, budgetUsd = t.dailyBudgetUsd): Record<string, Check> {
  const rate = (num: number, den: number) => (den >= t.minSamples ? num / den : null);
  const p95 = (metric: string) => {
    const h = agg.histograms.get(metric);
    let n = 0;
    for (const c of h?.values() ?? []) n += c;
    return n >= t.minSamples ? percentiles(agg, metric).p95 : null;
  };
  const attempts = count(agg, 'widget.connect_attempt');
  const voiceAttempts =
    count(agg, 'widget.connect_attempt.mode=webrtc') + count(agg, 'widget.connect_attempt.mode=websocket');
  const voiceErrors = count(agg, 'widget.error.mode=webrtc') + count(agg, 'widget.error.mode=websocket');
  const avatarAsked = count(agg, 'server.avatar_session');
  const avatarStarted = count(agg, 'server.avatar_session.ok=true');
  const checks = [
    check(
      'connection_success',
      rate(count(agg, 'widget.connect_result.ok=true'), attempts),
      `>= ${t.connectionSuccessMin}`,
      (v) => v >= t.connectionSuccessMin,
      t.connectionSuccessMin,
    ),
    check(
      'error_rate',
      rate(count(agg, 'widget.error'), attempts),
      `< ${t.errorRateMax}`,
      (v) => v < t.errorRateMax,
      t.errorRateMax,
    ),
    check(
      'voice_error_rate',
      rate(voiceErrors, voiceAttempts),
      `< ${t.voiceErrorRateMax}`,
      (v) => v < t.voiceErrorRateMax,
      t.voiceErrorRateMax,
    ),
    check('tts_p95_ms', p95('server.tts'), `< ${t.ttsP95MsMax} ms`, (v) => v < t.ttsP95MsMax, t.ttsP95MsMax),
    check(
      'api_p95_ms',
      p95('server.session_granted'),
      `< ${t.apiP95MsMax} ms`,
      (v) => v < t.apiP95MsMax,
      t.apiP95MsMax,
    ),
    check('page_p95_ms', p95('widget.page_ready'), `< ${t.pageP95MsMax} ms`, (v) => v < t.pageP95MsMax, t.pageP95MsMax),
    check(
      'avatar_sync_p95_ms',
      p95('widget.avatar_sync'),
      `< ${t.avatarSyncP95MsMax} ms`,
      (v) => v < t.avatarSyncP95MsMax,
      t.avatarSyncP95MsMax,
    ),
    check(
      'avatar_success',
      rate(avatarStarted, avatarAsked),
      `>= ${t.avatarSuccessMin}`,
      (v) => v >= t.avatarSuccessMin,
      t.avatarSuccessMin,
    ),
    check(
      'avatar_failure_rate',
      rate(count(agg, 'widget.avatar_fallback'), avatarStarted),
      `< ${t.avatarFailureMax}`,
      (v) => v < t.avatarFailureMax,
      t.avatarFailureMax,
    ),
    check(
      'generation_failure_rate',
      rate(count(agg, 'server.generation_failed'), count(agg, 'server.generation_requested')),
      `< ${t.generationFailureMax}`,
      (v) => v < t.generationFailureMax,
      t.generationFailureMax,
    ),
    // Cost always has data: a day that spent nothing is within budget.
    check('cost_usd', count(agg, 'cost.usd'), `<= ${budgetUsd} USD`, (v) => v <= budgetUsd, budgetUsd),
  ];
  return Object.fromEntries(checks.map((c) => [c.metric, c]));
}

/** Which checks decide a flag's verdict (besides the common ones: errors, page and API p95, cost, for all). */
export const COMMON_CHECKS = ['error_rate', 'api_p95_ms', 'page_p95_ms', 'cost_usd'];

export function checksForFlag(flag: string): string[] {
  const common = COMMON_CHECKS;
  if (flag === 'voice.text') return ['connection_success', ...common];
  if (flag.startsWith('voice.')) return ['connection_success', 'voice_error_rate', ...common];
  if (flag.startsWith('avatar')) return ['avatar_success', 'avatar_failure_rate', 'avatar_sync_p95_ms', ...common];
  if (flag.startsWith('tts')) return ['tts_p95_ms', ...common];
  if (flag.startsWith('keywords') || flag.startsWith('generation')) return ['generation_failure_rate', ...common];
  return common;
}

export const toReportCheck = ({ metric, value, threshold, status }: Check): ReportCheck => ({
  metric,
  value,
  threshold,
  status,
});
