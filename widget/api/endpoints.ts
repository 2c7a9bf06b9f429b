// The Worker's routes a conversation uses, over the element's ApiClient (its bootstrap's base and key). Loads with
// the conversation's machinery: the first screen only bootstraps.
import type {
  AvatarCloseResponse,
  AvatarCredentialsResponse,
  AvatarSessionRequest,
  AvatarSessionResponse,
  HandoffRequest,
  HandoffResponse,
  SessionRequest,
  SessionResponse,
  TtsRequest,
} from '../../worker/api-types.ts';
import type { ApiClient } from './client.ts';

/** A JSON POST of `body`, as the Worker's routes read it. */
const post = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

/** Each request fails with a WidgetError carrying the Worker's code (ApiClient.send). */
export class WorkerApi {
  constructor(readonly client: ApiClient) {}

  createSession(body: SessionRequest): Promise<SessionResponse> {
    return this.client.request<SessionResponse>('v1/realtime/session', post(body), 'session_failed');
  }

  createAvatarSession(body: AvatarSessionRequest): Promise<AvatarSessionResponse> {
    return this.client.request('v1/avatar/session', post(body), 'avatar_session_failed');
  }

  closeAvatarSession(id: string): Promise<AvatarCloseResponse> {
    return this.client.request(
      `v1/avatar/session/${encodeURIComponent(id)}`,
      { method: 'DELETE' },
      'avatar_close_failed',
    );
  }

  avatarCredentials(id: string): Promise<AvatarCredentialsResponse> {
    return this.client.request(
      `v1/avatar/session/${encodeURIComponent(id)}/credentials`,
      { method: 'GET' },
      'avatar_renew_failed',
    );
  }

  /** For `navigator.sendBeacon` on page unload, which cannot send headers: the key goes in the query. */
  avatarCloseUrl(id: string): string {
    const { client } = this;
    return `${client.url(`v1/avatar/session/${encodeURIComponent(id)}/close`)}?key=${encodeURIComponent(client.key)}`;
  }

  /** Speech for reply text: an audio/mpeg response whose body is still streaming. */
  tts(body: TtsRequest, signal?: AbortSignal): Promise<Response> {
    return this.client.send('v1/tts', { ...post(body), signal }, 'tts_failed');
  }

  handoff(body: HandoffRequest): Promise<HandoffResponse> {
    return this.client.request<HandoffResponse>('v1/handoff', post(body), 'handoff_failed');
  }
}
