import * as v from 'valibot';
import { API_MODES, type ApiMode } from '../../widget/contract/modes.ts';
import { LANGUAGES } from '../../widget/i18n/languages.ts';

export const MODES = API_MODES;
export type Mode = ApiMode;

export const DEFAULT_LIMITS = {
  voiceSessionsPerMonth: 1000,
  avatarSessionsPerMonth: 100,
  generationsPerMonth: 500,
  /** Characters of text turned into speech (ElevenLabs bills by character). */
  ttsCharactersPerMonth: 100_000,
  requestsPerMinute: 120,
  /** Relay caps per voice session. */
  sessionMaxSeconds: 900,
  sessionMaxBytes: 50 * 1024 * 1024,
  eventsPerSecond: 60,
};
export type Limits = typeof DEFAULT_LIMITS;

/** ElevenLabs voice ids are 20 letters and digits; the pattern allows some slack, never a path. */
export const VOICE_ID_PATTERN = /^[A-Za-z0-9]{10,40}$/;
export const VoiceIdSchema = v.pipe(
  v.string(),
  v.regex(VOICE_ID_PATTERN, 'must be an ElevenLabs voice id (10-40 letters and digits)'),
);

const color = v.pipe(
  v.string(),
  v.regex(/^#(?:[0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i, 'must be a hex colour like #1a2b3c'),
);
const httpsUrl = v.pipe(v.string(), v.url(), v.regex(/^https?:\/\//, 'must be an http(s) URL'));

export const BrandingSchema = v.strictObject({
  name: v.optional(v.pipe(v.string(), v.maxLength(80))),
  primaryColor: v.optional(color),
  accentColor: v.optional(color),
  logoUrl: v.optional(v.nullable(httpsUrl)),
  greeting: v.optional(v.pipe(v.string(), v.maxLength(400))),
});
export type Branding = v.InferOutput<typeof BrandingSchema>;

/** An allowed origin: scheme://host[:port], or https://*.example.com for every subdomain. */
export const OriginSchema = v.pipe(
  v.string(),
  v.regex(
    /^https?:\/\/(?:\*\.)?[a-z0-9.-]+(?::\d{1,5})?$/i,
    'must be scheme://host[:port] with no path, e.g. https://shop.example.com or https://*.example.com',
  ),
);

const count = (max: number) => v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(max));
const fraction = v.pipe(v.number(), v.minValue(0), v.maxValue(1));

export const LimitsPatchSchema = v.strictObject({
  voiceSessionsPerMonth: v.optional(count(10_000_000)),
  avatarSessionsPerMonth: v.optional(count(10_000_000)),
  generationsPerMonth: v.optional(count(10_000_000)),
  ttsCharactersPerMonth: v.optional(count(1_000_000_000)),
  requestsPerMinute: v.optional(v.pipe(count(100_000), v.minValue(1))),
  sessionMaxSeconds: v.optional(v.pipe(count(3600), v.minValue(10))),
  sessionMaxBytes: v.optional(v.pipe(count(1024 * 1024 * 1024), v.minValue(1024))),
  eventsPerSecond: v.optional(v.pipe(count(10_000), v.minValue(1))),
});

export const SettingsSchema = v.strictObject({
  avatar: v.optional(
    v.strictObject({
      enabled: v.optional(v.boolean()),
      avatarId: v.optional(v.pipe(v.string(), v.maxLength(120))),
      durationSeconds: v.optional(v.pipe(count(3600), v.minValue(60))),
      costPerMinuteUsd: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(100))),
    }),
  ),
  /** Hands-free: `clientSecret: true` hands the browser an OpenAI key instead of a Worker-created call (uncapped). */
  realtime: v.optional(v.strictObject({ clientSecret: v.optional(v.boolean()) })),
  tts: v.optional(
    v.strictObject({
      // An ElevenLabs voice id of the server's account; null or absent: ELEVENLABS_VOICE_ID, else a voice it lists.
      voiceId: v.optional(v.nullable(VoiceIdSchema)),
    }),
  ),
  handoff: v.optional(
    v.strictObject({
      target: v.optional(v.picklist(['sandbox', 'webhook', 'openai-images'])),
      webhookUrl: v.optional(v.nullable(httpsUrl)),
      webhookSecret: v.optional(v.nullable(v.pipe(v.string(), v.minLength(16), v.maxLength(200)))),
    }),
  ),
  /** Widget telemetry (POST /v1/events); `enabled: false` turns it off for every page of the site. */
  telemetry: v.optional(v.strictObject({ enabled: v.optional(v.boolean()) })),
  /** Analytics alerts: per-tenant thresholds over the defaults (worker/analytics/checks.ts) and a signed webhook. */
  alerts: v.optional(
    v.strictObject({
      webhookUrl: v.optional(v.nullable(httpsUrl)),
      webhookSecret: v.optional(v.nullable(v.pipe(v.string(), v.minLength(16), v.maxLength(200)))),
      thresholds: v.optional(
        v.strictObject({
          connectionSuccessMin: v.optional(fraction),
          errorRateMax: v.optional(fraction),
          voiceErrorRateMax: v.optional(fraction),
          ttsP95MsMax: v.optional(count(600_000)),
          apiP95MsMax: v.optional(count(600_000)),
          pageP95MsMax: v.optional(count(600_000)),
          avatarSyncP95MsMax: v.optional(count(600_000)),
          avatarSuccessMin: v.optional(fraction),
          avatarFailureMax: v.optional(fraction),
          generationFailureMax: v.optional(fraction),
          dailyBudgetUsd: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1_000_000))),
          minSamples: v.optional(v.pipe(count(1_000_000), v.minValue(1))),
        }),
      ),
    }),
  ),
  /**
   * How the widget looks on this site. `ownerView`: tokens, rate limits and the model picker, for the site's owners.
   * `language`: the widget's language when neither its `lang` attribute nor the page names one it has.
   */
  widget: v.optional(
    v.strictObject({
      ownerView: v.optional(v.boolean()),
      language: v.optional(v.picklist(LANGUAGES, `must be one of ${LANGUAGES.join(', ')}`)),
    }),
  ),
});
export type Settings = v.InferOutput<typeof SettingsSchema>;

const modelName = v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9.-]{1,63}$/i, 'must be a model name'));
const nonEmptyUnique = <T extends v.GenericSchema>(item: T) =>
  v.pipe(
    v.array(item),
    v.minLength(1),
    v.check((a) => new Set(a).size === a.length, 'must not repeat values'),
  );

const optionalTenantFields = {
  status: v.optional(v.picklist(['active', 'suspended'])),
  allowedOrigins: v.optional(v.pipe(v.array(OriginSchema), v.maxLength(100))),
  branding: v.optional(BrandingSchema),
  persona: v.optional(v.pipe(v.string(), v.maxLength(8000))),
  allowedModes: v.optional(nonEmptyUnique(v.picklist(MODES))),
  allowedModels: v.optional(nonEmptyUnique(modelName)),
  defaultModel: v.optional(modelName),
  voice: v.optional(v.pipe(v.string(), v.regex(/^[a-z0-9_-]{1,40}$/i, 'must be a voice name'))),
  limits: v.optional(LimitsPatchSchema),
  settings: v.optional(SettingsSchema),
};
const tenantName = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(120));

export const TenantCreateSchema = v.strictObject({
  id: v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be 2-63 lower-case letters, digits or dashes')),
  publishableKey: v.optional(
    v.pipe(v.string(), v.regex(/^pk_[A-Za-z0-9_]{3,64}$/, 'must start with pk_ and use letters, digits or _')),
  ),
  name: tenantName,
  ...optionalTenantFields,
});
export type TenantCreate = v.InferOutput<typeof TenantCreateSchema>;

export const TenantPatchSchema = v.strictObject({ name: v.optional(tenantName), ...optionalTenantFields });
export type TenantPatch = v.InferOutput<typeof TenantPatchSchema>;

export interface Tenant {
  id: string;
  publishableKey: string;
  name: string;
  status: 'active' | 'suspended';
  allowedOrigins: string[];
  branding: Branding;
  persona: string;
  allowedModes: Mode[];
  allowedModels: string[];
  defaultModel: string;
  voice: string;
  limits: Limits;
  settings: Settings;
  createdAt: string;
  updatedAt: string;
}

export interface TenantRow {
  id: string;
  publishable_key: string;
  name: string;
  status: string;
  allowed_origins: string;
  branding: string;
  persona: string;
  allowed_modes: string;
  allowed_models: string;
  default_model: string;
  voice: string;
  limits: string;
  settings: string;
  created_at: string;
  updated_at: string;
}

export function rowToTenant(row: TenantRow): Tenant {
  return {
    id: row.id,
    publishableKey: row.publishable_key,
    name: row.name,
    status: row.status === 'suspended' ? 'suspended' : 'active',
    allowedOrigins: JSON.parse(row.allowed_origins) as string[],
    branding: JSON.parse(row.branding) as Branding,
    persona: row.persona,
    allowedModes: JSON.parse(row.allowed_modes) as Mode[],
    allowedModels: JSON.parse(row.allowed_models) as string[],
    defaultModel: row.default_model,
    voice: row.voice,
    limits: { ...DEFAULT_LIMITS, ...(JSON.parse(row.limits) as Partial<Limits>) },
    settings: JSON.parse(row.settings) as Settings,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export const MASK = '********';

/** The view of a tenant an admin sees (and the audit trail keeps): secrets inside settings are masked. */
export function adminView<T extends Pick<Tenant, 'settings'>>(t: T): T {
  const { handoff, alerts } = t.settings ?? {};
  if (!handoff && !alerts) return t;
  const settings = { ...t.settings };
  if (handoff) settings.handoff = { ...handoff, webhookSecret: handoff.webhookSecret ? MASK : null };
  if (alerts) settings.alerts = { ...alerts, webhookSecret: alerts.webhookSecret ? MASK : null };
  return { ...t, settings };
}
