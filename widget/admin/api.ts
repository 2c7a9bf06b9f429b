// Typed client of the admin API. Types only come from the Worker (never its code or schema library), so the
// console breaks at compile time when a request schema or a response shape changes.
import type * as v from 'valibot';
import type {
  FieldProblem,
  FlagChange,
  FlagConfig,
  FlagHistoryEntry,
  FlagList,
  FlagWriteResult,
  HistoryPage,
  PingReport,
  ProviderHealth,
  TenantAnswer,
  TenantList,
  UsageCount,
  UsageReport,
  UsageRow,
} from '../../worker/api-types.ts';
import type { AlertsResponse, AnalyticsResponse, DailyReport } from '../../worker/analytics/contract.ts';
import type { HistoryQuery, UsageQuery } from '../../worker/routes/admin/schemas.ts';
import type { Tenant, TenantPatchSchema } from '../../worker/tenants/model.ts';
import { withQuery } from '../api/query.ts';

export type { FieldProblem, FlagChange, FlagConfig, FlagHistoryEntry, FlagWriteResult, HistoryPage };
export type { PingReport, ProviderHealth, UsageCount, UsageReport, UsageRow };
export type {
  AlertEpisode,
  AlertsResponse,
  AnalyticsDay,
  AnalyticsMetrics,
  AnalyticsResponse,
  DailyReport,
  ReportCheck,
  ReportFeature,
} from '../../worker/analytics/contract.ts';

/** A tenant as `GET /admin/tenants` shows it: secrets inside settings are masked. */
export type AdminTenant = Tenant;

/** PUT /admin/tenants/:id: what may change; objects (limits, branding, settings) merge one level deep. */
export type TenantPatch = v.InferInput<typeof TenantPatchSchema>;

/** The Worker's one error shape, `{ error: { code, message, requestId, details } }`, as a thrown value. */
export class AdminApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string | null = null,
    readonly details: unknown = undefined,
  ) {
    super(message);
    this.name = 'AdminApiError';
  }

  /** The field problems of an `invalid_request`, or none. */
  get problems(): FieldProblem[] {
    if (!Array.isArray(this.details)) return [];
    return this.details.filter((d): d is FieldProblem => {
      const p = d as Partial<FieldProblem> | null;
      return typeof p === 'object' && p !== null && typeof p.path === 'string' && typeof p.message === 'string';
    });
  }
}

export interface AdminClientOptions {
  token: string;
  actor?: string;
  baseUrl?: string;
  /** Called for every 401 before the error is thrown: the token is no good any more. */
  onUnauthorized?: (error: AdminApiError) => void;
}

/** Per call: `signal` aborts the request (a panel's load passes its Task's, so a newer load cancels an older one). */
export interface RequestOptions {
  signal?: AbortSignal;
}

/** `tenant` absent: all tenants. Dates are YYYY-MM-DD in UTC. */
export interface AnalyticsQuery {
  tenant?: string;
  from: string;
  to: string;
}

export interface AlertsQuery {
  tenant?: string;
  /** true: only the open episodes. */
  open?: boolean;
}

const queryString = (params: Record<string, string | undefined>) => {
  const qs = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => !!e[1])).toString();
  return qs ? `?${qs}` : '';
};

export class AdminClient {
  readonly baseUrl: string;

  constructor(private readonly options: AdminClientOptions) {
    this.baseUrl = options.baseUrl ?? location.origin;
  }

  listFlags(opts: RequestOptions = {}) {
    return this.request<FlagList>('GET', '/admin/flags', undefined, opts);
  }

  bulkFlags(changes: FlagChange[], note: string) {
    return this.request<FlagWriteResult>('POST', '/admin/flags/bulk', { changes, note });
  }

  flagHistory(query: { key?: string; limit?: number; cursor?: string | null } = {}, opts: RequestOptions = {}) {
    const path = withQuery<v.InferInput<typeof HistoryQuery>>('/admin/flags/history', {
      key: query.key || undefined,
      limit: query.limit ? String(query.limit) : undefined,
      cursor: query.cursor || undefined,
    });
    return this.request<HistoryPage>('GET', path, undefined, opts);
  }

  rollback(historyId: number, note?: string) {
    return this.request<FlagWriteResult>('POST', '/admin/flags/rollback', note ? { historyId, note } : { historyId });
  }

  listTenants(opts: RequestOptions = {}) {
    return this.request<TenantList>('GET', '/admin/tenants', undefined, opts);
  }

  updateTenant(id: string, patch: TenantPatch) {
    return this.request<TenantAnswer>('PUT', `/admin/tenants/${encodeURIComponent(id)}`, patch);
  }

  usage(month?: string, opts: RequestOptions = {}) {
    const path = withQuery<v.InferInput<typeof UsageQuery>>('/admin/usage', { month: month || undefined });
    return this.request<UsageReport>('GET', path, undefined, opts);
  }

  ping(opts: RequestOptions = {}) {
    return this.request<PingReport>('GET', '/v1/voice/ping', undefined, opts);
  }

  analytics(q: AnalyticsQuery, opts: RequestOptions = {}) {
    const qs = queryString({ tenant: q.tenant, from: q.from, to: q.to });
    return this.request<AnalyticsResponse>('GET', `/admin/analytics${qs}`, undefined, opts);
  }

  report(date: string, opts: RequestOptions = {}) {
    return this.request<DailyReport>('GET', `/admin/report${queryString({ date })}`, undefined, opts);
  }

  /** The same report in the rollout plan's markdown template, as text to paste. */
  reportMarkdown(date: string, opts: RequestOptions = {}) {
    const path = `/admin/report${queryString({ date })}`;
    return this.request<string>('GET', path, undefined, { ...opts, accept: 'text/markdown' });
  }

  alerts(q: AlertsQuery = {}, opts: RequestOptions = {}) {
    const qs = queryString({ tenant: q.tenant, open: q.open === undefined ? undefined : q.open ? '1' : '0' });
    return this.request<AlertsResponse>('GET', `/admin/alerts${qs}`, undefined, opts);
  }

  /** JSON unless `accept` names another type: then the body's text, as it came. Errors are JSON either way. */
  private async request<T>(
    method: string,
    path: string,
    body?: unknown,
    { signal, accept = 'application/json' }: RequestOptions & { accept?: string } = {},
  ): Promise<T> {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${this.options.token}`,
      Accept: accept,
    };
    const actor = this.options.actor?.trim();
    if (actor) headers['X-Admin-Actor'] = actor;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    try {
      // Looked up on each call, not captured: a test (or an extension) may replace fetch after this module loads.
      res = await globalThis.fetch(new URL(path, this.baseUrl), {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        cache: 'no-store',
        credentials: 'omit',
        signal: signal ?? null,
      });
    } catch {
      // An abort is the caller's own doing, not a network fault: it goes back as the signal's reason, unreported.
      if (signal?.aborted) throw signal.reason;
      const message = 'The server could not be reached. Check your connection and try again.';
      throw new AdminApiError(0, 'network_error', message);
    }
    const text = await res.text();
    if (res.ok && accept !== 'application/json') return text as T;
    let data: unknown = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON: reported below with the status.
    }
    if (res.ok) return data as T;
    const error = toError(res, data);
    if (error.status === 401) this.options.onUnauthorized?.(error);
    throw error;
  }
}

function toError(res: Response, data: unknown): AdminApiError {
  type Body = { error?: { code?: unknown; message?: unknown; requestId?: unknown; details?: unknown } } | null;
  const e = (data as Body)?.error;
  if (e && typeof e.code === 'string') {
    return new AdminApiError(
      res.status,
      e.code,
      typeof e.message === 'string' ? e.message : `Request failed (${res.status})`,
      typeof e.requestId === 'string' ? e.requestId : res.headers.get('X-Request-Id'),
      e.details,
    );
  }
  const message = `Request failed with HTTP ${res.status}`;
  return new AdminApiError(res.status, `http_${res.status}`, message, res.headers.get('X-Request-Id'));
}

/** A message for people: the API's own message, with the request id to quote when asking for help. */
export function describeError(e: unknown): string {
  if (e instanceof AdminApiError) return e.requestId ? `${e.message} (request ${e.requestId})` : e.message;
  return e instanceof Error ? e.message : String(e);
}

/** Panels report save results through this event; the console speaks them in its one live region. */
export const ANNOUNCE_EVENT = 'vb-admin-announce';

export function announce(from: EventTarget, message: string): void {
  from.dispatchEvent(new CustomEvent<string>(ANNOUNCE_EVENT, { detail: message, bubbles: true, composed: true }));
}

declare global {
  interface GlobalEventHandlersEventMap {
    'vb-admin-announce': CustomEvent<string>;
  }
}
