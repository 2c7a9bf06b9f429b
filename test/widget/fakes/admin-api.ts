// An in-memory stand-in for the Worker's admin API (worker/routes/admin/*.ts, worker/routes/voice-ping.ts), installed
// in the page by replacing window.fetch. Same paths, status codes and error shape, and the Worker's own rules rather
// than a copy of them: bodies go through its parseJson (content type, size, JSON, then the valibot schema), queries
// through its validate, with the schemas of worker/routes/admin/schemas.ts and worker/tenants/model.ts; flag writes
// are planned by worker/flags/plan.ts. So every message and field path the console shows is the Worker's. What is
// the fake's own: storage (arrays for D1), the token and actor headers, the ping report a test sets, and the
// analytics figures, reports and alerts (admin-analytics.ts says how it merges them).
import type { Context } from 'hono';
import { parseJson, validate } from '../../../worker/body.ts';
import { ApiError, errorBody, notFound } from '../../../worker/errors.ts';
import { utcMonth } from '../../../worker/limits/month.ts';
import { AlertsQuery, AnalyticsQuery, ReportQuery } from '../../../worker/routes/admin/schemas.ts';
import { BulkSchema, HistoryQuery, RollbackSchema, UsageQuery } from '../../../worker/routes/admin/schemas.ts';
import { adminView, TenantPatchSchema, type TenantPatch } from '../../../worker/tenants/model.ts';
import { applySteps, changesConfig, planChanges, planRollback, validateSet } from '../../../worker/flags/plan.ts';
import type { FlagSet, Step } from '../../../worker/flags/plan.ts';
import type { AlertEpisode, AlertsResponse, DailyReport } from '../../../worker/analytics/contract.ts';
import { flag as seededFlag } from '../../fixtures/flags.ts';
import { analyticsAnswer, emptyReport, filterAlerts, reportMarkdown, type AnalyticsStore } from './admin-analytics.ts';
import type {
  AdminTenant,
  FlagChange,
  FlagConfig,
  FlagHistoryEntry,
  FlagWriteResult,
  PingReport,
  UsageRow,
} from '../../../widget/admin/api.ts';

export const ADMIN_TOKEN = 'test-admin-token';

export interface RecordedRequest {
  method: string;
  path: string;
  search: string;
  headers: Record<string, string>;
  body: unknown;
  /** The request's signal: a test checks what the console aborted. */
  signal: AbortSignal;
}

const flag = (key: string, description: string, over: Partial<FlagConfig> = {}) =>
  seededFlag(key, { description, ...over });

const LIMITS = {
  voiceSessionsPerMonth: 100,
  avatarSessionsPerMonth: 10,
  generationsPerMonth: 50,
  ttsCharactersPerMonth: 100000,
  requestsPerMinute: 120,
  sessionMaxSeconds: 900,
  sessionMaxBytes: 52428800,
  eventsPerSecond: 60,
};

const tenant = (id: string, name: string): AdminTenant => ({
  id,
  publishableKey: `pk_${id}`,
  name,
  status: 'active',
  allowedOrigins: [`https://${id}.example.com`],
  branding: { name, primaryColor: '#112233', greeting: `Welcome to ${name}` },
  persona: `You help visitors of ${name}.`,
  allowedModes: ['webrtc', 'websocket', 'text'],
  allowedModels: ['gpt-realtime-2.1'],
  defaultModel: 'gpt-realtime-2.1',
  voice: 'marin',
  limits: { ...LIMITS },
  settings: {},
  createdAt: '2026-10-01T00:00:00.000Z',
  updatedAt: '2026-10-01T00:00:00.000Z',
});

type Plan = (current: FlagSet, now: string) => Step[];

/** The part of Hono's Context that the Worker's parseJson reads. */
const contextOf = (req: Request) =>
  ({ req: { header: (name: string) => req.headers.get(name) ?? undefined, raw: req } }) as unknown as Context;

/** Settles with `work`, or rejects with the signal's reason once it aborts, as fetch does. */
// fetch rejects with the signal's reason as it is, whatever it is.
/* eslint-disable @typescript-eslint/prefer-promise-reject-errors */
function abortable<T>(signal: AbortSignal, work: Promise<T>): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
/* eslint-enable @typescript-eslint/prefer-promise-reject-errors */

export class FakeAdminApi {
  token = ADMIN_TOKEN;
  flags: FlagConfig[] = [
    flag('avatar', 'The talking avatar', { rollout: 50 }),
    flag('keywords.handoff', 'Hand keywords to the image generator'),
    flag('tts', 'Server-side text-to-speech', { enabled: false, rollout: 0 }),
    flag('voice.text', 'Typed conversation'),
    flag('voice.webrtc', 'Hands-free voice'),
    flag('voice.websocket', 'Push-to-talk'),
  ];
  history: FlagHistoryEntry[] = [];
  tenants: AdminTenant[] = [tenant('demo', 'Ink & Iron'), tenant('acme', 'Acme Studio')];
  usage: Record<string, Partial<UsageRow>> = {
    demo: {
      voiceSessions: { used: 3, limit: 100 },
      avatarSessions: { used: 10, limit: 10 },
      avatarMinutes: 42,
      avatarCostUsd: 4.2,
      generations: { used: 0, limit: 50 },
    },
  };
  ping: PingReport = {
    status: 'ok',
    checkedAt: '2026-11-20T10:00:00.000Z',
    tts: { status: 'ok', provider: 'elevenlabs', synthTime: 412, audioSize: 20480, contentType: 'audio/mpeg' },
    openai: {
      status: 'sandbox',
      provider: 'openai',
      message: 'No OPENAI_API_KEY: voice runs on the built-in sandbox responder',
    },
  };
  /** Per tenant, per day: the analytics rollups (admin-analytics.ts's seedAnalytics fills a range plausibly). */
  analytics: AnalyticsStore = {};
  /** Per date: the daily report; a date not set gets one with no data. */
  reports: Record<string, DailyReport> = {};
  alerts: AlertEpisode[] = [];
  requests: RecordedRequest[] = [];
  /** No server to reach: fetch rejects with a TypeError, as a browser's does offline. */
  offline = false;
  /** While true, each answer waits for a test to call its release in `held` (arrival order; release in any). */
  holding = false;
  held: Array<() => void> = [];
  private nextId = 1;
  private salts = 0;
  private original: typeof window.fetch = window.fetch;

  install(): this {
    this.original = window.fetch;
    window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const req = new Request(input, init);
      const url = new URL(req.url);
      const ours = url.origin === location.origin && /^\/(admin|v1\/voice)\//.test(url.pathname);
      if (!ours) return this.original.call(window, input, init);
      return abortable(req.signal, this.handle(req, url));
    };
    return this;
  }

  uninstall(): void {
    window.fetch = this.original;
  }

  /** Writes through the same schema and planning as the API, so seeded history looks like real history. */
  seedWrite(changes: FlagChange[], note: string, actor = 'alice'): FlagHistoryEntry[] {
    const body = validate(BulkSchema, { changes, note });
    return this.bulk(body.changes, body.note, actor).history;
  }

  /** Requests to one method and path (no query). */
  sent(method: string, path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && r.path === path);
  }

  private async handle(req: Request, url: URL): Promise<Response> {
    if (this.offline) throw new TypeError('Failed to fetch');
    const text = req.method === 'GET' ? '' : await req.clone().text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    const headers = Object.fromEntries([...req.headers.entries()]);
    const { method, signal } = req;
    this.requests.push({ method, path: url.pathname, search: url.search, headers, body, signal });
    const requestId = `req-${this.requests.length}`;
    let response: Response;
    try {
      if (req.headers.get('authorization') !== `Bearer ${this.token}`) {
        throw new ApiError(401, 'unauthorized', 'A valid admin token is required (Authorization: Bearer <token>)');
      }
      const actor = req.headers.get('x-admin-actor') || 'admin';
      const answer = await this.route(req, url, actor);
      response = answer instanceof Response ? answer : Response.json(answer);
      response.headers.set('X-Request-Id', requestId);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      const init = { status: e.status, headers: { 'X-Request-Id': requestId } };
      response = Response.json(errorBody(e.code, e.message, requestId, e.details), init);
    }
    if (this.holding) await new Promise<void>((release) => this.held.push(release));
    return response;
  }

  private async route(req: Request, url: URL, actor: string): Promise<unknown> {
    const { method } = req;
    const path = url.pathname;
    const query = Object.fromEntries(url.searchParams);
    if (method === 'GET' && path === '/admin/flags') return { flags: this.flags };
    if (method === 'POST' && path === '/admin/flags/bulk') {
      const { changes, note } = await parseJson(contextOf(req), BulkSchema);
      return this.bulk(changes, note, actor);
    }
    if (method === 'GET' && path === '/admin/flags/history') return this.page(validate(HistoryQuery, query));
    if (method === 'POST' && path === '/admin/flags/rollback') {
      const { historyId, note } = await parseJson(contextOf(req), RollbackSchema);
      const entry = this.history.find((h) => h.id === historyId);
      if (!entry) throw new ApiError(404, 'not_found', `History entry ${historyId} not found`);
      const plan: Plan = (current, now) => planRollback(current, entry, { actor, now });
      return this.write(plan, note ?? `Rollback of #${historyId}`, actor, entry.id);
    }
    if (method === 'GET' && path === '/admin/tenants') return { tenants: this.tenants.map(adminView) };
    const tenantPath = /^\/admin\/tenants\/([^/]+)$/.exec(path);
    if (tenantPath && (method === 'GET' || method === 'PUT')) {
      const id = decodeURIComponent(tenantPath[1]!);
      // The Worker validates the body before it looks the tenant up.
      const patch = method === 'PUT' ? await parseJson(contextOf(req), TenantPatchSchema) : null;
      const t = this.tenants.find((x) => x.id === id);
      if (!t) throw new ApiError(404, 'not_found', `Tenant "${id}" not found`);
      return { tenant: adminView(patch ? this.patchTenant(t, patch) : t) };
    }
    if (method === 'GET' && path === '/admin/usage') return this.usageReport(validate(UsageQuery, query));
    if (method === 'GET' && path === '/v1/voice/ping') return this.ping;
    if (method === 'GET' && path === '/admin/analytics') {
      const q = validate(AnalyticsQuery, query);
      const tenants = q.tenant ? [this.tenantOrNotFound(q.tenant)] : this.tenants.map((t) => t.id);
      return analyticsAnswer(this.analytics, tenants, q.tenant ?? null, q.from, q.to);
    }
    if (method === 'GET' && path === '/admin/report') {
      const { date } = validate(ReportQuery, query);
      const report = this.reports[date] ?? emptyReport(date, this.flags);
      if (!/\btext\/markdown\b/.test(req.headers.get('accept') ?? '')) return report;
      return new Response(reportMarkdown(report), { headers: { 'Content-Type': 'text/markdown; charset=utf-8' } });
    }
    if (method === 'GET' && path === '/admin/alerts') {
      const q = validate(AlertsQuery, query);
      if (q.tenant) this.tenantOrNotFound(q.tenant);
      const answer: AlertsResponse = { alerts: filterAlerts(this.alerts, q) };
      return answer;
    }
    throw notFound();
  }

  private tenantOrNotFound(id: string): string {
    if (!this.tenants.some((t) => t.id === id)) throw new ApiError(404, 'not_found', `Tenant "${id}" not found`);
    return id;
  }

  private bulk(changes: FlagChange[], note: string, actor: string): FlagWriteResult {
    const newSalt = () => `salt-new-${++this.salts}`;
    return this.write((current, now) => planChanges(current, changes, { actor, now, newSalt }), note, actor);
  }

  /** worker/flags/store.ts's commit without D1: plan, drop no-op steps, check the whole set, record. */
  private write(plan: Plan, note: string, actor: string, rollbackOf: number | null = null): FlagWriteResult {
    const current = new Map(this.flags.map((f) => [f.key, f]));
    const at = new Date().toISOString();
    const steps = plan(current, at).filter(changesConfig);
    if (steps.length === 0) return { flags: this.flags, history: [] };
    const next = applySteps(current, steps);
    validateSet(next);
    const batch = `batch-${this.nextId}`;
    const history = steps.map(({ key, before, after }) => {
      return { id: this.nextId++, key, batch, actor, at, before, after, note, rollbackOf };
    });
    this.flags = [...next.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
    this.history.push(...history);
    return { flags: this.flags, history };
  }

  /** worker/flags/store.ts's flagHistory: newest first, below the cursor, one more than the page to know if more. */
  private page(q: { key?: string; limit?: number; cursor?: number }) {
    const limit = q.limit ?? 20;
    const rows = this.history
      .filter((h) => q.key === undefined || h.key === q.key)
      .filter((h) => q.cursor === undefined || h.id < q.cursor)
      .sort((a, b) => b.id - a.id)
      .slice(0, limit + 1);
    const entries = rows.slice(0, limit);
    const more = rows.length > limit && entries.length > 0;
    return { entries, nextCursor: more ? String(entries[entries.length - 1]!.id) : null };
  }

  /** worker/tenants/store.ts's updateTenant merge: branding, limits and settings merge, the rest replaces. */
  private patchTenant(t: AdminTenant, patch: TenantPatch): AdminTenant {
    const updated: AdminTenant = {
      ...t,
      ...(Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as Partial<AdminTenant>),
      branding: { ...t.branding, ...patch.branding },
      limits: { ...t.limits, ...patch.limits },
      settings: { ...t.settings, ...patch.settings },
      updatedAt: new Date().toISOString(),
    };
    this.tenants = this.tenants.map((x) => (x.id === t.id ? updated : x));
    return updated;
  }

  private usageReport(q: { tenant?: string; month?: string }) {
    const month = q.month ?? utcMonth();
    const tenants = q.tenant ? this.tenants.filter((t) => t.id === q.tenant) : this.tenants;
    if (tenants.length === 0) throw new ApiError(404, 'not_found', `Tenant "${q.tenant}" not found`);
    const usage = tenants.map((t) => ({
      tenant: t.id,
      month,
      voiceSessions: { used: 0, limit: t.limits.voiceSessionsPerMonth },
      avatarSessions: { used: 0, limit: t.limits.avatarSessionsPerMonth },
      avatarMinutes: 0,
      avatarCostUsd: 0,
      generations: { used: 0, limit: t.limits.generationsPerMonth },
      ttsCharacters: { used: 0, limit: t.limits.ttsCharactersPerMonth },
      ...this.usage[t.id],
    }));
    return { month, usage };
  }
}
