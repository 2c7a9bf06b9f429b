import type * as v from 'valibot';
import type {
  ApiErrorBody,
  AvatarCloseResponse,
  AvatarCredentialsResponse,
  AvatarSessionRequest,
  AvatarSessionResponse,
  BootstrapResponse,
  HandoffRequest,
  HandoffResponse,
  SessionRequest,
  SessionResponse,
  TtsRequest,
} from '../../worker/api-types.ts';
import type { BootstrapQuery } from '../../worker/routes/schemas.ts';
import { fromServerError, WidgetError } from './errors.ts';

type BootstrapParams = v.InferInput<typeof BootstrapQuery>;

/**
 * Talks to the voice-buddy Worker. `fetch` is looked up on each call so a host page's instrumentation still applies.
 */
export class ApiClient {
  constructor(
    readonly base: string,
    private readonly key: string,
  ) {}

  private url(path: string): string {
    return new URL(path, this.base.endsWith('/') ? this.base : `${this.base}/`).toString();
  }

  private async request<T>(path: string, init: RequestInit, networkCode: string): Promise<T> {
    return (await (await this.send(path, init, networkCode)).json()) as T;
  }

  /** The successful response, unread; any failure throws a WidgetError with the Worker's code. */
  private async send(path: string, init: RequestInit, networkCode: string): Promise<Response> {
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

  createSession(body: SessionRequest): Promise<SessionResponse> {
    return this.request<SessionResponse>(
      'v1/realtime/session',
      { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) },
      'session_failed',
    );
  }

  createAvatarSession(body: AvatarSessionRequest): Promise<AvatarSessionResponse> {
    return this.request(
      'v1/avatar/session',
      { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) },
      'avatar_session_failed',
    );
  }

  closeAvatarSession(id: string): Promise<AvatarCloseResponse> {
    return this.request(`v1/avatar/session/${encodeURIComponent(id)}`, { method: 'DELETE' }, 'avatar_close_failed');
  }

  avatarCredentials(id: string): Promise<AvatarCredentialsResponse> {
    return this.request(
      `v1/avatar/session/${encodeURIComponent(id)}/credentials`,
      { method: 'GET' },
      'avatar_renew_failed',
    );
  }

  /** For `navigator.sendBeacon` on page unload, which cannot send headers: the key goes in the query. */
  avatarCloseUrl(id: string): string {
    return `${this.url(`v1/avatar/session/${encodeURIComponent(id)}/close`)}?key=${encodeURIComponent(this.key)}`;
  }

  /** Speech for reply text: an audio/mpeg response whose body is still streaming. */
  tts(body: TtsRequest, signal?: AbortSignal): Promise<Response> {
    return this.send(
      'v1/tts',
      { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), signal },
      'tts_failed',
    );
  }

  handoff(body: HandoffRequest): Promise<HandoffResponse> {
    return this.request<HandoffResponse>(
      'v1/handoff',
      { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) },
      'handoff_failed',
    );
  }
}
