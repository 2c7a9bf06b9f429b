// Shapes of the public API, shared by the Worker and the widget. Types only: the widget never imports Worker code.
// Requests are the input types of the schemas the routes validate with (./routes/schemas.ts,
// ./routes/admin/schemas.ts), so the widget cannot send what the Worker would refuse. Answers are declared here once;
// the routes check theirs against them with `satisfies`.
import type * as v from 'valibot';
import type { ApiMode } from '../widget/contract/modes.ts';
import type { FlagConfig } from './flags/evaluate.ts';
import type { Tenant } from './tenants/model.ts';
import type { ChangeSchema } from './routes/admin/schemas.ts';
import type { AvatarSessionBody, HandoffBody, SessionBody, TtsBody } from './routes/schemas.ts';

export type { ApiMode };

export interface FlagResult {
  enabled: boolean;
  reason: 'DISABLED' | 'TARGET_MATCH' | 'PREREQUISITE_FAILED' | 'SPLIT' | 'DEFAULT';
}

export interface BootstrapResponse {
  tenant: { id: string; name: string };
  branding: {
    name: string;
    primaryColor: string | null;
    accentColor: string | null;
    logoUrl: string | null;
    greeting: string | null;
  };
  /** Modes the site offers this visitor (tenant settings and flags), best first. */
  modes: ApiMode[];
  /**
   * Modes of `modes` that cannot work on this server now, with why: `needs_provider_key` when the server has no
   * OpenAI key (sandbox), so nothing can understand speech. The widget shows them disabled with the reason.
   */
  unavailableModes: Partial<Record<ApiMode, 'needs_provider_key'>>;
  /** The best mode of `modes` that works now. */
  defaultMode: ApiMode;
  models: string[];
  defaultModel: string;
  voice: string;
  sandbox: boolean;
  /** Show the owner's figures (tokens, rate limits) and the model picker: the tenant's `settings.widget.ownerView`. */
  /** Widget telemetry (POST /v1/events): off when the site turned it off (settings.telemetry.enabled = false). */
  telemetry?: { enabled: boolean };
  ownerView: boolean;
  /** The site's default language (`settings.widget.language`), used when neither `lang` nor the page names one. */
  language: string | null;
  avatar: { available: boolean };
  /** Text-mode replies can be spoken (`POST /v1/tts`). */
  tts: { available: boolean };
  flags: Record<string, FlagResult>;
}

/** POST /v1/tts: the answer is audio/mpeg, streamed. */
export type TtsRequest = v.InferInput<typeof TtsBody>;

/**
 * POST /v1/realtime/session: the schema's input, but for `voice`, which the widget passes on from the page's `voice`
 * attribute unchecked (the Worker answers one it does not know with 400 `invalid_request`). `K extends keyof T`
 * keeps even that field tied to the schema: were `voice` renamed or dropped there, this would not compile.
 */
export type SessionRequest = Widen<v.InferInput<typeof SessionBody>, 'voice', string>;
type Widen<T, K extends keyof T, W> = Omit<T, K> & { [P in K]?: W };

export interface WebRtcSessionResponse {
  mode: 'webrtc';
  sessionId: string;
  /** Single-use ticket for `callsUrl` (the Worker creates the call): the default. */
  ticket?: string;
  /** Only for a tenant that opted in to browser keys (settings.realtime.clientSecret): an OpenAI ephemeral key. */
  clientSecret?: { value: string; expiresAt: number };
  /** When the ticket (or key) stops working, Unix seconds. */
  expiresAt: number;
  model: string;
  /** Where the SDP offer goes: the Worker's POST /v1/realtime/calls, or OpenAI's for a browser key. */
  callsUrl: string;
  session: { model: string; voice: string; outputModalities?: string[]; turnDetection: string; tools: string[] };
}

export interface SandboxSessionResponse {
  mode: 'sandbox';
  requestedMode: ApiMode;
  sessionId: string;
  reason: string;
}

export interface RelaySessionResponse {
  mode: 'websocket' | 'text';
  sessionId: string;
  ticket: string;
  wsUrl: string;
  expiresAt: number;
  model: string;
  sandbox: boolean;
}

export type SessionResponse = WebRtcSessionResponse | SandboxSessionResponse | RelaySessionResponse;

/** `details` of `invalid_request`: one entry a problem, `path` dotted from the body's root (`(body)`: the root). */
export interface FieldProblem {
  path: string;
  message: string;
}

export interface ApiErrorBody {
  error: { code: string; message: string; requestId: string; details?: unknown };
}

/** POST /v1/handoff */
export type HandoffRequest = v.InferInput<typeof HandoffBody>;

export interface HandoffResponse {
  generationId: string;
  eventsUrl: string;
  statusUrl: string;
  target: 'sandbox' | 'webhook' | 'openai-images';
}

/** POST /v1/avatar/session (the body may be empty). */
export type AvatarSessionRequest = v.InferInput<typeof AvatarSessionBody>;

/** POST /v1/avatar/session (201): join Agora with these; `expiresAt` is Unix seconds (Akool ends the session then). */
export interface AvatarSessionResponse {
  sessionId: string;
  agora: { appId: string; channel: string; token: string; uid: number };
  expiresAt: number;
  /** How long the avatar may take to appear in the channel after this answer; past it the widget gives up. */
  readyTimeoutMs: number;
}

/** GET /v1/avatar/session/:id/credentials: a fresh Agora token for the same channel and uid (`renewToken`). */
export interface AvatarCredentialsResponse {
  sessionId: string;
  agora: { appId: string; channel: string; token: string; uid: number };
  /** `starting`: Akool has not reported the avatar running yet; `ready`: it has. */
  status: 'starting' | 'ready';
}

/** DELETE /v1/avatar/session/:id (200) and the unload beacon POST .../close (202). */
export interface AvatarCloseResponse {
  sessionId: string;
  status: 'creating' | 'ready' | 'ended' | 'failed';
  endedAt: string | null;
  endReason: string | null;
  durationSeconds: number | null;
}

// Feature-flag admin API (worker/routes/admin/flags.ts), shared with the admin console.
export type { FlagConfig };
/** One change of POST /admin/flags/bulk; `create` adds a new flag (off and at 0% unless the change says otherwise). */
export type FlagChange = v.InferInput<typeof ChangeSchema>;

export interface FlagHistoryEntry {
  id: number;
  key: string;
  batch: string;
  actor: string;
  at: string;
  before: FlagConfig | null;
  after: FlagConfig | null;
  note: string;
  rollbackOf: number | null;
}

/** GET /admin/flags */
export interface FlagList {
  flags: FlagConfig[];
}

/** POST /admin/flags/bulk and /admin/flags/rollback: the whole set after the change, and what it recorded. */
export interface FlagWriteResult {
  flags: FlagConfig[];
  history: FlagHistoryEntry[];
}

/** GET /admin/flags/history: newest first; `nextCursor` is the `cursor` of the next page, null on the last. */
export interface HistoryPage {
  entries: FlagHistoryEntry[];
  nextCursor: string | null;
}

/** GET /admin/tenants: secrets inside settings are masked. */
export interface TenantList {
  tenants: Tenant[];
}

/** GET /admin/tenants/:id, PUT /admin/tenants/:id, POST /admin/tenants: secrets inside settings are masked. */
export interface TenantAnswer {
  tenant: Tenant;
}

export interface UsageCount {
  used: number;
  limit: number | null;
}

export interface UsageRow {
  tenant: string;
  month?: string;
  voiceSessions: UsageCount;
  avatarSessions: UsageCount;
  generations: UsageCount;
  /** Characters spoken by text-to-speech (absent from a Worker older than the field). */
  ttsCharacters?: UsageCount;
  /** Minutes of ended avatar sessions (per started minute) and their estimated cost at the tenant's rate. */
  avatarMinutes?: number;
  avatarCostUsd?: number;
}

/** GET /admin/usage?tenant=&month= */
export interface UsageReport {
  month: string;
  usage: UsageRow[];
}

export type ProviderHealth =
  | {
      status: 'ok';
      provider: string;
      synthTime?: number;
      audioSize?: number;
      contentType?: string;
      mintTime?: number;
      voiceId?: string;
      voiceSource?: string;
    }
  | { status: 'sandbox'; provider: string; message: string }
  | { status: 'error'; provider: string; code: string; message: string };

/** GET /v1/voice/ping (admin token): can the providers speak right now? */
export interface PingReport {
  status: 'ok' | 'degraded';
  checkedAt: string;
  tts: ProviderHealth;
  openai: ProviderHealth;
  [provider: string]: unknown;
}
