// An in-memory stand-in for the Worker's admin API (worker/routes/admin/*.ts, worker/routes/voice-ping.ts), installed
// in the page by replacing window.fetch. Same paths, bodies, status codes and the one error shape; validation covers
// what the console shows (field paths like `changes.0.rollout`, `allowedOrigins.1`), not every rule of the schemas.
import type { AdminTenant, FlagChange, FlagConfig, FlagHistoryEntry, PingReport, UsageRow } from '../../../widget/admin/api.ts';

export const ADMIN_TOKEN = 'test-admin-token';

export interface RecordedRequest {
  method: string;
  path: string;
  search: string;
  headers: Record<string, string>;
  body: unknown;
}

type Problem = { path: string; message: string };

class FakeError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

const FLAG_KEY = /^[a-z][a-z0-9]*(?:[._-][a-z0-9]+)*$/;
const TENANT_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;
const ORIGIN = /^https?:\/\/(?:\*\.)?[a-z0-9.-]+(?::\d{1,5})?$/i;
const COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i;
const LIMIT_KEYS = ['voiceSessionsPerMonth', 'avatarSessionsPerMonth', 'generationsPerMonth', 'ttsCharactersPerMonth', 'requestsPerMinute', 'sessionMaxSeconds', 'sessionMaxBytes', 'eventsPerSecond'];
const BRANDING_KEYS = ['name', 'primaryColor', 'accentColor', 'logoUrl', 'greeting'];
const PATCH_KEYS = ['name', 'status', 'allowedOrigins', 'branding', 'persona', 'allowedModes', 'allowedModels', 'defaultModel', 'voice', 'limits', 'settings'];

const flag = (key: string, description: string, over: Partial<FlagConfig> = {}): FlagConfig => ({
  key,
  description,
  enabled: true,
  rollout: 100,
  tenants: [],
  prerequisites: [],
  salt: `salt-${key}`,
  updatedAt: '2026-11-01T00:00:00.000Z',
  updatedBy: 'seed',
  ...over,
});

const tenant = (id: string, name: string, over: Partial<AdminTenant> = {}): AdminTenant => ({
  id,
  publishableKey: `pk_${id}`,
  name,
  status: 'active',
  allowedOrigins: [`https://${id}.example.com`],
  branding: { name, primaryColor: '#112233', greeting: `Welcome to ${name}` },
  persona: `You help visitors of ${name}.`,
  allowedModes: ['webrtc', 'websocket', 'text'],
  allowedModels: ['gpt-realtime-2.1'],
  defaultModel: 'gpt-realtime-2.1',
  voice: 'marin',
  limits: { voiceSessionsPerMonth: 100, avatarSessionsPerMonth: 10, generationsPerMonth: 50, ttsCharactersPerMonth: 100000, requestsPerMinute: 120, sessionMaxSeconds: 900, sessionMaxBytes: 52428800, eventsPerSecond: 60 },
  settings: {},
  createdAt: '2026-10-01T00:00:00.000Z',
  updatedAt: '2026-10-01T00:00:00.000Z',
  ...over,
});

export class FakeAdminApi {
  token = ADMIN_TOKEN;
  flags: FlagConfig[] = [
    flag('avatar', 'The talking avatar', { rollout: 50 }),
    flag('keywords.handoff', 'Hand keywords to the image generator'),
    flag('tts', 'Server-side text-to-speech', { enabled: false, rollout: 0 }),
    flag('voice.text', 'Typed conversation'),
    flag('voice.webrtc', 'Hands-free voice'),
    flag('voice.websocket', 'Push-to-talk'),
  ];
  history: FlagHistoryEntry[] = [];
  tenants: AdminTenant[] = [tenant('demo', 'Ink & Iron'), tenant('acme', 'Acme Studio')];
  usage: Record<string, Partial<UsageRow>> = {
    demo: { voiceSessions: { used: 3, limit: 100 }, avatarSessions: { used: 10, limit: 10 }, avatarMinutes: 42, avatarCostUsd: 4.2, generations: { used: 0, limit: 50 } },
  };
  ping: PingReport = {
    status: 'ok',
    checkedAt: '2026-11-20T10:00:00.000Z',
    tts: { status: 'ok', provider: 'elevenlabs', synthTime: 412, audioSize: 20480, contentType: 'audio/mpeg' },
    openai: { status: 'sandbox', provider: 'openai', message: 'No OPENAI_API_KEY: voice runs on the built-in sandbox responder' },
  };
  requests: RecordedRequest[] = [];
  private nextId = 1;
  private original: typeof window.fetch = window.fetch;

  install(): this {
    this.original = window.fetch;
    window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const req = new Request(input, init);
      const url = new URL(req.url);
      if (url.origin !== location.origin || !/^\/(admin|v1\/voice)\//.test(url.pathname)) return this.original.call(window, input, init);
      return this.handle(req, url);
    };
    return this;
  }

  uninstall(): void {
    window.fetch = this.original;
  }

  /** Writes through the same path as the API, so seeded history looks like real history. */
  seedWrite(changes: FlagChange[], note: string, actor = 'alice'): FlagHistoryEntry[] {
    return this.applyChanges(changes, note, actor).history;
  }

  /** Requests to one method and path (no query). */
  sent(method: string, path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && r.path === path);
  }

  private async handle(req: Request, url: URL): Promise<Response> {
    const text = req.method === 'GET' ? '' : await req.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    const headers = Object.fromEntries([...req.headers.entries()]);
    this.requests.push({ method: req.method, path: url.pathname, search: url.search, headers, body });
    const requestId = `req-${this.requests.length}`;
    try {
      if (req.headers.get('authorization') !== `Bearer ${this.token}`) {
        throw new FakeError(401, 'unauthorized', 'A valid admin token is required (Authorization: Bearer <token>)');
      }
      const actor = req.headers.get('x-admin-actor') || 'admin';
      const result = this.route(req.method, url, body, actor);
      return Response.json(result, { headers: { 'X-Request-Id': requestId } });
    } catch (e) {
      if (!(e instanceof FakeError)) throw e;
      const error = { code: e.code, message: e.message, requestId, ...(e.details === undefined ? {} : { details: e.details }) };
      return Response.json({ error }, { status: e.status, headers: { 'X-Request-Id': requestId } });
    }
  }

  private route(method: string, url: URL, body: unknown, actor: string): unknown {
    const path = url.pathname;
    const q = url.searchParams;
    if (method === 'GET' && path === '/admin/flags') return { flags: this.flags };
    if (method === 'POST' && path === '/admin/flags/bulk') {
      const { changes, note } = validateBulk(body);
      return this.applyChanges(changes, note, actor);
    }
    if (method === 'GET' && path === '/admin/flags/history') {
      const limit = Number(q.get('limit') ?? 20);
      const cursor = q.get('cursor');
      const matching = this.history
        .filter((h) => !q.get('key') || h.key === q.get('key'))
        .filter((h) => cursor === null || h.id < Number(cursor))
        .sort((a, b) => b.id - a.id);
      const page = matching.slice(0, limit);
      return { entries: page, nextCursor: matching.length > limit ? String(page[page.length - 1]!.id) : null };
    }
    if (method === 'POST' && path === '/admin/flags/rollback') return this.rollback(body, actor);
    if (method === 'GET' && path === '/admin/tenants') return { tenants: this.tenants };
    const tenantPath = /^\/admin\/tenants\/([^/]+)$/.exec(path);
    if (tenantPath) {
      const t = this.tenants.find((x) => x.id === decodeURIComponent(tenantPath[1]!));
      if (!t) throw new FakeError(404, 'not_found', `Tenant "${tenantPath[1]}" not found`);
      if (method === 'GET') return { tenant: t };
      if (method === 'PUT') return { tenant: this.patchTenant(t, body) };
    }
    if (method === 'GET' && path === '/admin/usage') {
      const month = q.get('month') ?? new Date().toISOString().slice(0, 7);
      if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new FakeError(400, 'invalid_request', 'Invalid month: must be YYYY-MM', [{ path: 'month', message: 'must be YYYY-MM' }]);
      const usage = this.tenants.map((t) => ({
        tenant: t.id,
        month,
        voiceSessions: { used: 0, limit: t.limits.voiceSessionsPerMonth },
        avatarSessions: { used: 0, limit: t.limits.avatarSessionsPerMonth },
        avatarMinutes: 0,
        avatarCostUsd: 0,
        generations: { used: 0, limit: t.limits.generationsPerMonth },
        ttsCharacters: { used: 0, limit: t.limits.ttsCharactersPerMonth },
        ...this.usage[t.id],
      }));
      return { month, usage };
    }
    if (method === 'GET' && path === '/v1/voice/ping') return this.ping;
    throw new FakeError(404, 'not_found', 'Route not found');
  }

  private applyChanges(changes: FlagChange[], note: string, actor: string, rollbackOf: number | null = null) {
    const now = new Date().toISOString();
    const problems: Problem[] = [];
    const next = new Map(this.flags.map((f) => [f.key, f]));
    const steps: Array<{ key: string; before: FlagConfig | null; after: FlagConfig | null }> = [];
    changes.forEach((ch, i) => {
      const existing = next.get(ch.key) ?? null;
      if (ch.create) {
        if (existing) problems.push({ path: `changes.${i}.key`, message: `flag "${ch.key}" already exists; drop create to change it` });
        if (ch.description === undefined) problems.push({ path: `changes.${i}.description`, message: 'a new flag needs a description' });
      } else if (!existing) {
        problems.push({ path: `changes.${i}.key`, message: `unknown flag "${ch.key}" (send create: true with a description to add it)` });
        return;
      }
      const { key, create: _c, ...fields } = ch;
      const base = existing ?? flag(key, '', { enabled: false, rollout: 0, salt: `salt-${key}-new` });
      const after = { ...base, ...fields, updatedAt: now, updatedBy: actor };
      steps.push({ key, before: existing, after });
      next.set(key, after);
    });
    changes.forEach((ch, i) => {
      for (const pre of ch.prerequisites ?? []) if (!next.has(pre)) problems.push({ path: `changes.${i}.prerequisites`, message: `unknown flag "${pre}"` });
    });
    if (problems.length) throw new FakeError(400, 'invalid_request', `Invalid ${problems[0]!.path}: ${problems[0]!.message}`, problems);
    const cycle = findCycle([...next.values()]);
    if (cycle) throw new FakeError(400, 'prerequisite_cycle', `Prerequisites would form a cycle: ${cycle.join(' -> ')}`, { cycle });
    return this.commit(steps, note, actor, rollbackOf);
  }

  private commit(steps: Array<{ key: string; before: FlagConfig | null; after: FlagConfig | null }>, note: string, actor: string, rollbackOf: number | null) {
    const batch = `batch-${this.nextId}`;
    const at = new Date().toISOString();
    const history = steps.map((s) => ({ id: this.nextId++, key: s.key, batch, actor, at, before: s.before, after: s.after, note, rollbackOf }));
    const map = new Map(this.flags.map((f) => [f.key, f]));
    for (const s of steps) {
      if (s.after) map.set(s.key, s.after);
      else map.delete(s.key);
    }
    this.flags = [...map.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
    this.history.push(...history);
    return { flags: this.flags, history };
  }

  private rollback(body: unknown, actor: string) {
    const { historyId, note } = (body ?? {}) as { historyId?: unknown; note?: unknown };
    if (typeof historyId !== 'number' || !Number.isInteger(historyId) || historyId < 1) {
      throw new FakeError(400, 'invalid_request', 'Invalid historyId', [{ path: 'historyId', message: 'Invalid type' }]);
    }
    const entry = this.history.find((h) => h.id === historyId);
    if (!entry) throw new FakeError(404, 'not_found', `History entry ${historyId} not found`);
    const current = this.flags.find((f) => f.key === entry.key) ?? null;
    const text = typeof note === 'string' && note.trim() ? note.trim() : `Rollback of #${historyId}`;
    if (!entry.before) {
      const dependents = this.flags.filter((f) => f.prerequisites.includes(entry.key)).map((f) => f.key);
      if (dependents.length) throw new FakeError(409, 'conflict', `Cannot remove "${entry.key}": ${dependents.join(', ')} depend on it`, { dependents });
      return this.commit([{ key: entry.key, before: current, after: null }], text, actor, historyId);
    }
    const after = { ...entry.before, updatedAt: new Date().toISOString(), updatedBy: actor };
    return this.commit([{ key: entry.key, before: current, after }], text, actor, historyId);
  }

  private patchTenant(t: AdminTenant, body: unknown): AdminTenant {
    const problems: Problem[] = [];
    const patch = (body ?? {}) as Record<string, unknown>;
    for (const k of Object.keys(patch)) if (!PATCH_KEYS.includes(k)) problems.push({ path: k, message: `Invalid key: Expected never but received "${k}"` });
    const origins = patch.allowedOrigins;
    if (origins !== undefined) {
      if (!Array.isArray(origins)) problems.push({ path: 'allowedOrigins', message: 'Invalid type' });
      else origins.forEach((o, i) => ORIGIN.test(String(o)) || problems.push({ path: `allowedOrigins.${i}`, message: 'must be scheme://host[:port] with no path, e.g. https://shop.example.com or https://*.example.com' }));
    }
    const limits = (patch.limits ?? {}) as Record<string, unknown>;
    for (const [k, v] of Object.entries(limits)) {
      if (!LIMIT_KEYS.includes(k)) problems.push({ path: `limits.${k}`, message: 'Invalid key' });
      else if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) problems.push({ path: `limits.${k}`, message: 'Invalid integer: Received ' + String(v) });
    }
    const branding = (patch.branding ?? {}) as Record<string, unknown>;
    for (const [k, v] of Object.entries(branding)) {
      if (!BRANDING_KEYS.includes(k)) problems.push({ path: `branding.${k}`, message: 'Invalid key' });
      else if ((k === 'primaryColor' || k === 'accentColor') && !COLOR.test(String(v))) problems.push({ path: `branding.${k}`, message: 'must be a hex colour like #1a2b3c' });
      else if (k === 'logoUrl' && v !== null && !/^https?:\/\/\S+$/.test(String(v))) problems.push({ path: 'branding.logoUrl', message: 'Invalid URL' });
    }
    if (patch.persona !== undefined && (typeof patch.persona !== 'string' || patch.persona.length > 8000)) problems.push({ path: 'persona', message: 'Invalid length' });
    if (problems.length) throw new FakeError(400, 'invalid_request', `Invalid ${problems[0]!.path}: ${problems[0]!.message}`, problems);
    const updated: AdminTenant = {
      ...t,
      ...(patch as Partial<AdminTenant>),
      limits: { ...t.limits, ...(limits as Partial<AdminTenant['limits']>) },
      branding: { ...t.branding, ...(branding as AdminTenant['branding']) },
      updatedAt: new Date().toISOString(),
    };
    this.tenants = this.tenants.map((x) => (x.id === t.id ? updated : x));
    return updated;
  }
}

function validateBulk(body: unknown): { changes: FlagChange[]; note: string } {
  const problems: Problem[] = [];
  const b = (body ?? {}) as { changes?: unknown; note?: unknown };
  if (!Array.isArray(b.changes) || b.changes.length === 0) problems.push({ path: 'changes', message: 'Invalid length: Expected >=1 but received 0' });
  const note = typeof b.note === 'string' ? b.note.trim() : '';
  if (!note) problems.push({ path: 'note', message: 'must say why' });
  (Array.isArray(b.changes) ? (b.changes as Array<Record<string, unknown>>) : []).forEach((ch, i) => {
    const at = `changes.${i}`;
    if (typeof ch.key !== 'string' || !FLAG_KEY.test(ch.key)) problems.push({ path: `${at}.key`, message: 'must be lower-case words joined by . _ or -, e.g. voice.webrtc' });
    if (ch.rollout !== undefined) {
      const r = ch.rollout;
      if (typeof r !== 'number' || r < 0 || r > 100) problems.push({ path: `${at}.rollout`, message: 'Invalid value: Expected <=100' });
      else if (Math.abs(r * 100 - Math.round(r * 100)) >= 1e-6) problems.push({ path: `${at}.rollout`, message: 'must have at most two decimals' });
    }
    if (ch.enabled !== undefined && typeof ch.enabled !== 'boolean') problems.push({ path: `${at}.enabled`, message: 'Invalid type' });
    if (Array.isArray(ch.tenants)) {
      ch.tenants.forEach((t, j) => TENANT_ID.test(String(t)) || problems.push({ path: `${at}.tenants.${j}`, message: 'must be a tenant id' }));
      if (new Set(ch.tenants).size !== ch.tenants.length) problems.push({ path: `${at}.tenants`, message: 'must not repeat tenants' });
    }
    if (Array.isArray(ch.prerequisites) && new Set(ch.prerequisites).size !== ch.prerequisites.length) problems.push({ path: `${at}.prerequisites`, message: 'must not repeat flags' });
    if (!ch.create && Object.keys(ch).every((k) => k === 'key' || k === 'create')) problems.push({ path: at, message: 'must change at least one field' });
  });
  if (problems.length) throw new FakeError(400, 'invalid_request', `Invalid ${problems[0]!.path}: ${problems[0]!.message}`, problems);
  return { changes: b.changes as FlagChange[], note };
}

function findCycle(flags: FlagConfig[]): string[] | null {
  const byKey = new Map(flags.map((f) => [f.key, f]));
  const visit = (key: string, path: string[]): string[] | null => {
    if (path.includes(key)) return [...path.slice(path.indexOf(key)), key];
    for (const pre of byKey.get(key)?.prerequisites ?? []) {
      const found = visit(pre, [...path, key]);
      if (found) return found;
    }
    return null;
  };
  for (const f of flags) {
    const found = visit(f.key, []);
    if (found) return found;
  }
  return null;
}
