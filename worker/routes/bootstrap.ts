import { Hono } from 'hono';
import type { BootstrapResponse, FlagResult } from '../api-types.ts';
import type { AppEnv, Env } from '../env.ts';
import { isSandbox } from '../providers/openai.ts';
import { MODE_FLAGS } from '../flags/enforce.ts';
import { evaluateFlags } from '../flags/evaluate.ts';
import { listFlags } from '../flags/store.ts';
import { MODES, type Mode, type Tenant } from '../tenants/model.ts';
import { query } from '../validator.ts';
import { BootstrapQuery } from './schemas.ts';

const MODE_PREFERENCE: readonly Mode[] = MODES;

/** The modes this tenant allows whose feature flag is on for this unit, best first. */
export function availableModes(tenant: Tenant, flags: Record<string, FlagResult>): Mode[] {
  return MODE_PREFERENCE.filter((m) => tenant.allowedModes.includes(m) && flags[MODE_FLAGS[m]]?.enabled !== false);
}

/**
 * Modes that cannot work on this server now. With no OpenAI key only the relay's sandbox responder answers, and it
 * cannot understand speech: voice would only ever come back "(not understood)".
 */
export function unavailableModes(modes: Mode[], env: Env): BootstrapResponse['unavailableModes'] {
  if (!isSandbox(env)) return {};
  return Object.fromEntries(modes.filter((m) => m !== 'text').map((m) => [m, 'needs_provider_key' as const]));
}

/** The best available mode that works now. */
export function defaultMode(modes: Mode[], env: Env): Mode {
  const unavailable = unavailableModes(modes, env);
  return modes.find((m) => !unavailable[m]) ?? modes[0] ?? 'text';
}

export function publicConfig(tenant: Tenant, env: Env, flags: Record<string, FlagResult>): BootstrapResponse {
  const modes = availableModes(tenant, flags);
  return {
    tenant: { id: tenant.id, name: tenant.name },
    branding: {
      name: tenant.branding.name ?? tenant.name,
      primaryColor: tenant.branding.primaryColor ?? null,
      accentColor: tenant.branding.accentColor ?? null,
      logoUrl: tenant.branding.logoUrl ?? null,
      greeting: tenant.branding.greeting ?? null,
    },
    modes,
    unavailableModes: unavailableModes(modes, env),
    defaultMode: defaultMode(modes, env),
    models: tenant.allowedModels,
    defaultModel: tenant.defaultModel,
    voice: tenant.voice,
    sandbox: isSandbox(env),
    ownerView: tenant.settings.widget?.ownerView === true,
    telemetry: { enabled: tenant.settings.telemetry?.enabled !== false && Boolean(env.ANALYTICS) },
    language: tenant.settings.widget?.language ?? null,
    avatar: {
      available:
        Boolean(env.AKOOL_API_KEY) && tenant.settings.avatar?.enabled === true && flags.avatar?.enabled !== false,
    },
    // Spoken text-mode replies: the server has an ElevenLabs key and the `tts` flag is on for this unit.
    tts: { available: Boolean(env.ELEVENLABS_API_KEY) && flags.tts?.enabled !== false },
    flags,
  };
}

async function etagOf(body: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-1', new TextEncoder().encode(body));
  const hex = [...new Uint8Array(digest)]
    .slice(0, 12)
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('');
  return `"${hex}"`;
}

export const bootstrap = new Hono<AppEnv>().get('/', query(BootstrapQuery), async (c) => {
  const tenant = c.get('tenant');
  // Flags are evaluated for the unit (uid, else tenant), so the body, and with it the ETag, follows every flag change
  // that changes what this unit gets.
  const { uid } = c.req.valid('query');
  const flags = evaluateFlags(await listFlags(c.env), { tenantId: tenant.id, uid: uid ?? null });
  const body = JSON.stringify(publicConfig(tenant, c.env, flags));
  const etag = await etagOf(body);
  c.header('ETag', etag);
  c.header('Cache-Control', 'private, no-cache');
  const ifNoneMatch = c.req.header('if-none-match');
  if (ifNoneMatch && ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
    return c.body(null, 304);
  }
  return c.body(body, 200, { 'Content-Type': 'application/json; charset=utf-8' });
});
