// Shapes of the public API, shared by the Worker and the widget. Types only: the widget never imports Worker code.
import type { ApiMode } from '../widget/contract/modes.ts';
import type { Keywords } from '../widget/keywords/types.ts';
import type { FlagConfig } from './flags/evaluate.ts';

export type { ApiMode };

export interface FlagResult {
  enabled: boolean;
  reason: 'DISABLED' | 'TARGET_MATCH' | 'PREREQUISITE_FAILED' | 'SPLIT' | 'DEFAULT';
}

export interface BootstrapResponse {
  tenant: { id: string; name: string };
  branding: { name: string; primaryColor: string | null; accentColor: string | null; logoUrl: string | null; greeting: string | null };
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
  avatar: { available: boolean };
  /** Text-mode replies can be spoken (`POST /v1/tts`). */
  tts: { available: boolean };
  flags: Record<string, FlagResult>;
}

/** POST /v1/tts: the answer is audio/mpeg, streamed. */
export interface TtsRequest {
  text: string;
  /** An ElevenLabs voice id; default: the site's voice. */
  voice?: string;
  uid?: string;
}

export interface SessionRequest {
  mode: ApiMode;
  model?: string;
  voice?: string;
  uid?: string;
  /** The visitor's language, ISO-639-1 ("en", "de"): a hint for transcribing their speech. */
  language?: string;
}

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

export interface ApiErrorBody {
  error: { code: string; message: string; requestId: string; details?: unknown };
}

export interface HandoffRequest {
  keywords: Keywords;
  sessionId?: string | null;
  uid?: string;
}

export interface HandoffResponse {
  generationId: string;
  eventsUrl: string;
  statusUrl: string;
  target: 'sandbox' | 'webhook' | 'openai-images';
}

export interface AvatarSessionRequest {
  avatarId?: string;
  quality?: 'high' | 'medium' | 'low';
  uid?: string;
}

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
export interface FlagChange {
  key: string;
  /** Adds a new flag (off and at 0% unless the change says otherwise); `description` is then required. */
  create?: boolean;
  description?: string;
  enabled?: boolean;
  rollout?: number;
  tenants?: string[];
  prerequisites?: string[];
}

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
