import { Hono } from 'hono';
import type { AppEnv, Env } from '../env.ts';
import { isSandbox } from '../providers/openai.ts';
import type { Mode, Tenant } from '../tenants/model.ts';

const MODE_PREFERENCE: Mode[] = ['webrtc', 'websocket', 'text'];

/** The best mode this tenant allows that works now: with no OpenAI key only the relay's sandbox responder answers. */
export function defaultMode(tenant: Tenant, env: Env): Mode {
  const usable = MODE_PREFERENCE.filter((m) => tenant.allowedModes.includes(m) && !(isSandbox(env) && m === 'webrtc'));
  return usable[0] ?? tenant.allowedModes[0] ?? 'text';
}

export function publicConfig(tenant: Tenant, env: Env) {
  return {
    tenant: { id: tenant.id, name: tenant.name },
    branding: {
      name: tenant.branding.name ?? tenant.name,
      primaryColor: tenant.branding.primaryColor ?? null,
      accentColor: tenant.branding.accentColor ?? null,
      logoUrl: tenant.branding.logoUrl ?? null,
      greeting: tenant.branding.greeting ?? null,
    },
    modes: tenant.allowedModes,
    defaultMode: defaultMode(tenant, env),
    models: tenant.allowedModels,
    defaultModel: tenant.defaultModel,
    voice: tenant.voice,
    sandbox: isSandbox(env),
    avatar: { available: Boolean(env.AKOOL_API_KEY) && tenant.settings.avatar?.enabled === true },
  };
}
export type PublicConfig = ReturnType<typeof publicConfig>;

async function etagOf(body: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-1', new TextEncoder().encode(body));
  const hex = [...new Uint8Array(digest)].slice(0, 12).map((b) => b.toString(16).padStart(2, '0')).join('');
  return `"${hex}"`;
}

export const bootstrap = new Hono<AppEnv>().get('/', async (c) => {
  const tenant = c.get('tenant');
  const body = JSON.stringify({ ...publicConfig(tenant, c.env), flags: {} });
  const etag = await etagOf(body);
  c.header('ETag', etag);
  c.header('Cache-Control', 'private, no-cache');
  const ifNoneMatch = c.req.header('if-none-match');
  if (ifNoneMatch && ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
    return c.body(null, 304);
  }
  return c.body(body, 200, { 'Content-Type': 'application/json; charset=utf-8' });
});
