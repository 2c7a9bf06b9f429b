import type * as v from 'valibot';
import type { ApiErrorBody, BootstrapResponse } from '../../worker/api-types.ts';
import type { BootstrapQuery } from '../../worker/routes/schemas.ts';
import { fromServerError, WidgetError } from './errors.ts';

type BootstrapParams = v.InferInput<typeof BootstrapQuery>;

/**
 * Talks to the voice-buddy Worker: bootstrap, and the requests of the routes a conversation uses (api/endpoints.ts,
 * which loads with the conversation's machinery). `fetch` is looked up on each call so a host page's instrumentation
 * still applies.
 */
export class ApiClient {
  constructor(
    readonly base: string,
    /** The publishable key (not a secret: it is in the page). */
    readonly key: string,
  ) {}

  url(path: string): string {
    return new URL(path, this.base.endsWith('/') ? this.base : `${this.base}/`).toString();
  }

  async request<T>(path: string, init: RequestInit, networkCode: string): Promise<T> {
    return (await (await this.send(path, init, networkCode)).json()) as T;
  }

  /** The successful response, unread; any failure throws a WidgetError with the Worker's code. */
  async send(path: string, init: RequestInit, networkCode: string): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(this.url(path), {
        ...init,
        headers: { 'X-Voice-Buddy-Key': this.key, ...init.headers },
        credentials: 'omit',
      });
    } catch (cause) {
      throw WidgetError.of(networkCode, { cause, text: 'network_error' });
    }
    if (res.ok) return res;
    let body: Partial<ApiErrorBody> | null = null;
    try {
      body = (await res.json()) as ApiErrorBody;
    } catch {
      /* not our error shape: a proxy or an outage page */
    }
    const retryAfter = Number(res.headers.get('retry-after')) || undefined;
    if (body?.error?.code) throw fromServerError(body.error.code, body.error.message ?? 'Request failed', retryAfter);
    // An outage page or a proxy: nothing the visitor can read in it.
    throw WidgetError.of(networkCode, { text: 'tenant_suspended' });
  }

  bootstrap(uid: string): Promise<BootstrapResponse> {
    // The query's key is checked against the route's schema: renamed there, this fails to compile.
    return this.request<BootstrapResponse>(
      `v1/bootstrap?${'uid' satisfies keyof BootstrapParams}=${encodeURIComponent(uid)}`,
      { method: 'GET' },
      'bootstrap_failed',
    );
  }
}
