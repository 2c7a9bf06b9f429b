import type { TenantLimits } from './limits/tenant-limits.ts';
import type { RateLimiter } from './limits/rate-limiter.ts';
import type { QueueMessage } from './analytics/events.ts';
import type { RealtimeCall } from './realtime/call.ts';
import type { Tenant } from './tenants/model.ts';

/** Bindings and secrets of the Worker (wrangler.toml, .dev.vars). */
export interface Env {
  DB: D1Database;
  LIMITS: DurableObjectNamespace<TenantLimits>;
  RATE: DurableObjectNamespace<RateLimiter>;
  /** One object per hands-free call: holds its sideband (worker/realtime/call.ts). */
  CALLS: DurableObjectNamespace<RealtimeCall>;
  /** Analytics events to the queue consumer (worker/analytics/consumer.ts); absent: analytics is off. */
  ANALYTICS?: Queue<QueueMessage>;
  /** `1`: record no analytics at all (an operator's switch; the bench's baseline). */
  ANALYTICS_OFF?: string;
  ASSETS?: Fetcher;
  /** Every widget release deployed so far, under v/<version>/ and v/<major>/ (worker/routes/releases.ts). */
  WIDGET_RELEASES?: R2Bucket;
  ADMIN_TOKEN?: string;
  OPENAI_API_KEY?: string;
  OPENAI_BASE_URL?: string;
  AKOOL_API_KEY?: string;
  AKOOL_BASE_URL?: string;
  ELEVENLABS_API_KEY?: string;
  ELEVENLABS_BASE_URL?: string;
  /** The server's default ElevenLabs voice; tenants may set their own (`settings.tts.voiceId`). */
  ELEVENLABS_VOICE_ID?: string;
  TICKET_SECRET?: string;
  /** Milliseconds before an upstream provider call is abandoned (tests shorten it). */
  UPSTREAM_TIMEOUT_MS?: string;
  /** Milliseconds an avatar session may take to become ready before it is closed (default 15000, at most 60000). */
  AVATAR_READY_TIMEOUT_MS?: string;
}

export interface Variables {
  requestId: string;
  tenant: Tenant;
  origin: string;
}

export type AppEnv = { Bindings: Env; Variables: Variables };
