import type { Env } from '../env.ts';
import { ApiError } from '../errors.ts';
import { DEFAULT_MODEL, DEFAULT_MODELS, retiredModel } from '../realtime/models.ts';
import {
  adminView,
  DEFAULT_LIMITS,
  rowToTenant,
  type Tenant,
  type TenantCreate,
  type TenantPatch,
  type TenantRow,
} from './model.ts';

/**
 * Tenants are read on every tenant request, so each isolate keeps them for a few seconds.
 * A write through this module drops the entry at once in this isolate; other isolates see it within TTL.
 */
const CACHE_TTL_MS = 5_000;
const byKey = new Map<string, { tenant: Tenant | null; at: number }>();
/** The origins every active tenant allows, for a preflight that names no tenant (worker/middleware/tenant.ts). */
let activeOrigins: { origins: string[]; at: number } | null = null;

export function invalidateTenantCache(): void {
  byKey.clear();
  activeOrigins = null;
}

/** Allowlist entries of all active tenants, kept like the tenants themselves (and dropped by the same writes). */
export async function allActiveOrigins(env: Env): Promise<readonly string[]> {
  const now = Date.now();
  if (activeOrigins && now - activeOrigins.at < CACHE_TTL_MS) return activeOrigins.origins;
  const tenants = await listTenants(env);
  const origins = tenants.filter((t) => t.status === 'active').flatMap((t) => t.allowedOrigins);
  activeOrigins = { origins, at: now };
  return origins;
}

export async function getTenantByKey(env: Env, key: string): Promise<Tenant | null> {
  const hit = byKey.get(key);
  const now = Date.now();
  if (hit && now - hit.at < CACHE_TTL_MS) return hit.tenant;
  const row = await env.DB.prepare('SELECT * FROM tenants WHERE publishable_key = ?').bind(key).first<TenantRow>();
  const tenant = row ? rowToTenant(row) : null;
  if (byKey.size > 1000) byKey.clear();
  byKey.set(key, { tenant, at: now });
  return tenant;
}

export async function getTenant(env: Env, id: string): Promise<Tenant | null> {
  const row = await env.DB.prepare('SELECT * FROM tenants WHERE id = ?').bind(id).first<TenantRow>();
  return row ? rowToTenant(row) : null;
}

export async function listTenants(env: Env): Promise<Tenant[]> {
  const { results } = await env.DB.prepare('SELECT * FROM tenants ORDER BY id').all<TenantRow>();
  return results.map(rowToTenant);
}

function checkModels(t: Pick<Tenant, 'allowedModels' | 'defaultModel'>) {
  const named: Array<[model: string, path: string]> = [
    ...t.allowedModels.map((m, i): [string, string] => [m, `allowedModels[${i}]`]),
    [t.defaultModel, 'defaultModel'],
  ];
  const retired = named.flatMap(([m, path]) => {
    const message = retiredModel(m);
    return message ? [{ path, message }] : [];
  });
  if (retired.length) throw new ApiError(400, 'model_retired', retired[0]!.message, retired);
  if (!t.allowedModels.includes(t.defaultModel)) {
    throw new ApiError(400, 'invalid_request', `defaultModel "${t.defaultModel}" must be one of allowedModels`, [
      { path: 'defaultModel', message: 'must be one of allowedModels' },
    ]);
  }
}

function randomKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return (
    'pk_' +
    [...bytes]
      .map((b) => b.toString(36).padStart(2, '0'))
      .join('')
      .slice(0, 24)
  );
}

const toRow = (t: Tenant) => [
  t.publishableKey,
  t.name,
  t.status,
  JSON.stringify(t.allowedOrigins),
  JSON.stringify(t.branding),
  t.persona,
  JSON.stringify(t.allowedModes),
  JSON.stringify(t.allowedModels),
  t.defaultModel,
  t.voice,
  JSON.stringify(t.limits),
  JSON.stringify(t.settings),
];

/** Audit rows keep the admin's view of a tenant: a secret never lands in the audit table. */
function auditStatement(
  env: Env,
  actor: string,
  action: string,
  target: string,
  before: Tenant | null,
  after: Tenant | null,
) {
  return env.DB.prepare('INSERT INTO admin_audit (actor, action, target, before, after) VALUES (?, ?, ?, ?, ?)').bind(
    actor,
    action,
    target,
    before === null ? null : JSON.stringify(adminView(before)),
    after === null ? null : JSON.stringify(adminView(after)),
  );
}

export async function createTenant(env: Env, input: TenantCreate, actor: string): Promise<Tenant> {
  const now = new Date().toISOString();
  const tenant: Tenant = {
    id: input.id,
    publishableKey: input.publishableKey ?? randomKey(),
    name: input.name,
    status: input.status ?? 'active',
    allowedOrigins: input.allowedOrigins ?? [],
    branding: input.branding ?? {},
    persona: input.persona ?? '',
    allowedModes: input.allowedModes ?? ['webrtc', 'websocket', 'text'],
    allowedModels: input.allowedModels ?? DEFAULT_MODELS,
    defaultModel: input.defaultModel ?? input.allowedModels?.[0] ?? DEFAULT_MODEL,
    voice: input.voice ?? 'marin',
    limits: { ...DEFAULT_LIMITS, ...input.limits },
    settings: input.settings ?? {},
    createdAt: now,
    updatedAt: now,
  };
  checkModels(tenant);
  const clash = await env.DB.prepare('SELECT id, publishable_key FROM tenants WHERE id = ? OR publishable_key = ?')
    .bind(tenant.id, tenant.publishableKey)
    .first<{ id: string }>();
  if (clash)
    throw new ApiError(
      409,
      'conflict',
      clash.id === tenant.id ? `Tenant "${tenant.id}" exists` : 'That publishable key is taken',
    );
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO tenants (id, publishable_key, name, status, allowed_origins, branding, persona, allowed_modes,
        allowed_models, default_model, voice, limits, settings, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).bind(tenant.id, ...toRow(tenant), now, now),
    auditStatement(env, actor, 'tenant.create', `tenant:${tenant.id}`, null, tenant),
  ]);
  invalidateTenantCache();
  return tenant;
}

/** Applies a validated partial update: objects (limits, branding, settings) merge one level deep, lists replace. */
export async function updateTenant(env: Env, id: string, patch: TenantPatch, actor: string): Promise<Tenant> {
  const before = await getTenant(env, id);
  if (!before) throw new ApiError(404, 'not_found', `Tenant "${id}" not found`);
  const after: Tenant = {
    ...before,
    ...Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)),
    branding: { ...before.branding, ...patch.branding },
    limits: { ...before.limits, ...patch.limits },
    settings: {
      ...before.settings,
      ...(patch.settings?.avatar ? { avatar: { ...before.settings.avatar, ...patch.settings.avatar } } : {}),
      ...(patch.settings?.realtime ? { realtime: { ...before.settings.realtime, ...patch.settings.realtime } } : {}),
      ...(patch.settings?.handoff ? { handoff: { ...before.settings.handoff, ...patch.settings.handoff } } : {}),
      ...(patch.settings?.tts ? { tts: { ...before.settings.tts, ...patch.settings.tts } } : {}),
    },
    updatedAt: new Date().toISOString(),
  };
  checkModels(after);
  await env.DB.batch([
    env.DB.prepare(
      `UPDATE tenants SET publishable_key = ?, name = ?, status = ?, allowed_origins = ?, branding = ?, persona = ?,
        allowed_modes = ?, allowed_models = ?, default_model = ?, voice = ?, limits = ?, settings = ?, updated_at = ?
       WHERE id = ?`,
    ).bind(...toRow(after), after.updatedAt, id),
    auditStatement(env, actor, 'tenant.update', `tenant:${id}`, before, after),
  ]);
  invalidateTenantCache();
  return after;
}

export async function auditLog(env: Env, target: string, limit = 50) {
  const { results } = await env.DB.prepare('SELECT * FROM admin_audit WHERE target = ? ORDER BY id DESC LIMIT ?')
    .bind(target, limit)
    .all<{
      id: number;
      actor: string;
      action: string;
      target: string;
      before: string | null;
      after: string | null;
      at: string;
    }>();
  // Masked again on the way out: rows written before secrets were masked at write time still hold them.
  const parse = (json: string | null) => (json ? adminView(JSON.parse(json) as Tenant) : null);
  return results.map((r) => ({ ...r, before: parse(r.before), after: parse(r.after) }));
}
