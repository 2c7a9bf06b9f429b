// The analytics admin API's answers (issue 14), shared by the Worker's routes, the admin console and its fake API.
// Types only: the admin console imports them with `import type`, so no Worker code reaches a browser bundle.

/** p50/p95 in milliseconds from the fixed histogram buckets; null when nothing was measured. */
export interface Percentiles {
  p50: number | null;
  p95: number | null;
}

/** One tenant's (or all tenants') figures over a day or a date range. Rates are fractions 0..1, null when undefined. */
export interface AnalyticsMetrics {
  sessions: {
    attempts: number;
    connected: number;
    successRate: number | null;
    /** Added by the server side (optional, so older fakes still type-check): sessions that reported their end. */
    ended?: number;
    /** Ended sessions by how they ended: `ended` (the visitor stopped), `error`, `pagehide` (the page went away). */
    endedBy?: Record<string, number>;
    /** Visitor turns in ended sessions. */
    turns?: number;
  };
  connectMs: Percentiles;
  fallbacks: { byReason: Record<string, number> };
  errors: { byCode: Record<string, number>; rate: number | null };
  /** Connected sessions by mode (`webrtc`, `websocket`, `text`). */
  modes: Record<string, number>;
  avatar: {
    started: number;
    fallbacks: number;
    minutes: number;
    costUsd: number;
    /** Added after the shape (optional for older fakes): a reply's first text to the avatar saying it. */
    syncMs?: Percentiles;
  };
  generations: { requested: number; done: number; failed: number; firstConceptMs: Percentiles };
  tts: { characters: number; synthMs: { p95: number | null } };
  costUsd: number;
  /** Added after the shape: the widget's time from its script starting to its bootstrap answered. */
  pageMs?: Percentiles;
}

export interface AnalyticsDay extends AnalyticsMetrics {
  /** YYYY-MM-DD, UTC. */
  date: string;
}

/** GET /admin/analytics?tenant=&from=YYYY-MM-DD&to=YYYY-MM-DD. `tenant` null: all tenants. */
export interface AnalyticsResponse {
  tenant: string | null;
  from: string;
  to: string;
  totals: AnalyticsMetrics;
  /** Every day from `from` to `to`, oldest first, days without data included with zeros. */
  days: AnalyticsDay[];
}

export type Verdict = 'GO' | 'NO-GO';

/** One health metric of the daily report against its threshold. */
export interface ReportCheck {
  /**
   * e.g. `connection_success`, `error_rate`, `voice_error_rate`, `tts_p95_ms`, `api_p95_ms`, `page_p95_ms`,
   * `avatar_success`, `avatar_sync_p95_ms`, `cost_usd`.
   */
  metric: string;
  value: number | null;
  /** Human-readable rule, e.g. ">= 0.95" or "< 1500 ms". */
  threshold: string;
  /** `no_data` when there was nothing to measure: it never decides a GO by itself. */
  status: 'pass' | 'fail' | 'no_data';
}

/** One flag's rollout and verdict in the daily report. */
export interface ReportFeature {
  flag: string;
  enabled: boolean;
  rollout: number;
  /** The rollout the plan aims for next, when the flag has one; null otherwise. */
  target: number | null;
  verdict: Verdict;
  /** The checks that apply to this feature, and the sentences of the rules that decided the verdict. */
  checks: ReportCheck[];
  reasons: string[];
}

/** GET /admin/report?date=YYYY-MM-DD (JSON; `Accept: text/markdown` gives the rollout plan's template). */
export interface DailyReport {
  date: string;
  generatedAt: string;
  health: ReportCheck[];
  features: ReportFeature[];
}

/** One breach episode: opened when a threshold is crossed, closed when the metric is healthy again. */
export interface AlertEpisode {
  id: string;
  tenant: string | null;
  metric: string;
  value: number;
  threshold: number;
  /** ISO times. */
  openedAt: string;
  closedAt: string | null;
  /** The webhook is sent once per episode; null: none configured or not yet sent. */
  notifiedAt: string | null;
}

/** GET /admin/alerts?tenant=&open=1 */
export interface AlertsResponse {
  alerts: AlertEpisode[];
}
