import { afterEach, describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { evaluateFlag, FLAG_KEYS, type FlagConfig } from '../../worker/flags/evaluate.ts';
import { invalidateFlagCache, listFlags } from '../../worker/flags/store.ts';
import type { FlagHistoryEntry } from '../../worker/flags/store.ts';
import { ADMIN, call, createTenant, expectError, fakeOpenAI, postJson, tenantHeaders, uniqueId } from './helpers.ts';

const json = { 'Content-Type': 'application/json' };

let n = 0;
/** A fresh flag key per use: flags are global, so tests create their own rather than share. */
const newKey = () => `test.f${Date.now().toString(36)}${(n++).toString(36)}`;

const bulk = (body: unknown, actor = 'alice@example.com') =>
  call('/admin/flags/bulk', {
    method: 'POST',
    headers: { ...ADMIN, ...json, 'X-Admin-Actor': actor },
    body: JSON.stringify(body),
  });

const rollback = (body: unknown) =>
  call('/admin/flags/rollback', {
    method: 'POST',
    headers: { ...ADMIN, ...json, 'X-Admin-Actor': 'bob' },
    body: JSON.stringify(body),
  });

async function ok<T>(res: Response | Promise<Response>): Promise<T> {
  const r = await res;
  const text = await r.text();
  if (r.status !== 200) throw new Error(`expected 200, got ${r.status}: ${text}`);
  return JSON.parse(text) as T;
}

type WriteAnswer = { flags: FlagConfig[]; history: FlagHistoryEntry[] };
type HistoryPage = { entries: FlagHistoryEntry[]; nextCursor: string | null };

const allFlags = async () => (await ok<{ flags: FlagConfig[] }>(call('/admin/flags', { headers: ADMIN }))).flags;
const getFlag = async (key: string) => (await allFlags()).find((f) => f.key === key);
const historyOf = async (key: string, limit = 100) =>
  (await ok<HistoryPage>(call(`/admin/flags/history?key=${key}&limit=${limit}`, { headers: ADMIN }))).entries;

/** A flag's configuration: all of it but who wrote it and when (updatedAt/By change with every write). */
const config = (f: FlagConfig | null | undefined) => {
  if (!f) return f;
  const { updatedAt: _at, updatedBy: _by, ...rest } = f;
  return rest;
};

async function createFlag(over: Record<string, unknown> = {}): Promise<FlagConfig> {
  const key = newKey();
  const res = await ok<WriteAnswer>(
    bulk({ changes: [{ key, create: true, description: `Test flag ${key}`, ...over }], note: 'test set-up' }),
  );
  return res.flags.find((f) => f.key === key)!;
}

// Product flags are shared by every test file: whatever a test changes there, it puts back.
const restore: Array<{ key: string; enabled: boolean; rollout: number; tenants: string[] }> = [];
afterEach(async () => {
  if (restore.length === 0) return;
  await ok(bulk({ changes: restore.splice(0), note: 'test clean-up' }));
});
async function changeProductFlag(key: string, change: Record<string, unknown>) {
  const before = (await getFlag(key))!;
  restore.push({ key, enabled: before.enabled, rollout: before.rollout, tenants: before.tenants });
  await ok(bulk({ changes: [{ key, ...change }], note: 'test' }));
}

describe('flag admin: auth', () => {
  it('refuses a missing or wrong token on every flag route, and changes nothing', async () => {
    const routes: Array<[string, RequestInit]> = [
      ['/admin/flags', {}],
      ['/admin/flags/history', {}],
      [
        '/admin/flags/bulk',
        {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ changes: [{ key: 'tts', enabled: false }], note: 'x' }),
        },
      ],
      ['/admin/flags/rollback', { method: 'POST', headers: json, body: JSON.stringify({ historyId: 1 }) }],
    ];
    for (const [path, init] of routes) {
      await expectError(await call(path, init), 401, 'unauthorized');
      await expectError(
        await call(path, { ...init, headers: { ...init.headers, Authorization: 'Bearer wrong' } }),
        401,
        'unauthorized',
      );
    }
    expect((await getFlag('tts'))!.enabled).toBe(true);
  });
});

describe('flag admin: reading', () => {
  it('lists the seeded product flags: on at 100%, each with its own salt and a description', async () => {
    const flags = await allFlags();
    for (const key of FLAG_KEYS) {
      const f = flags.find((x) => x.key === key);
      expect(f, key).toBeDefined();
      expect(f!.description.length).toBeGreaterThan(10);
      expect(f!.salt).toMatch(/^[0-9a-f]{16}$/);
    }
    const salts = FLAG_KEYS.map((k) => flags.find((x) => x.key === k)!.salt);
    expect(new Set(salts).size).toBe(FLAG_KEYS.length);
  });
});

describe('flag admin: bulk', () => {
  it('creates a flag off and at 0% unless told otherwise, recorded with actor and note', async () => {
    const key = newKey();
    const res = await ok<WriteAnswer>(
      bulk({ changes: [{ key, create: true, description: 'A new thing' }], note: 'adding it' }, 'carol'),
    );
    const f = res.flags.find((x) => x.key === key)!;
    expect(config(f)).toEqual({
      key,
      description: 'A new thing',
      enabled: false,
      rollout: 0,
      tenants: [],
      prerequisites: [],
      salt: f.salt,
    });
    expect(f.salt).toMatch(/^[0-9a-f]{16}$/);
    expect(f.updatedBy).toBe('carol');
    expect(res.history).toHaveLength(1);
    expect(res.history[0]).toMatchObject({ key, actor: 'carol', note: 'adding it', before: null, rollbackOf: null });
    expect(config(res.history[0]!.after)).toEqual(config(f));
  });

  it('applies a valid bulk change to several flags in one go, answering the new state', async () => {
    const a = await createFlag();
    const b = await createFlag();
    const res = await ok<WriteAnswer>(
      bulk({
        changes: [
          { key: a.key, enabled: true, rollout: 12.34, tenants: ['studio-x'] },
          { key: b.key, enabled: true, rollout: 100, prerequisites: [a.key], description: 'Needs a' },
        ],
        note: 'launch',
      }),
    );
    expect(config(res.flags.find((f) => f.key === a.key))).toEqual({
      ...config(a),
      enabled: true,
      rollout: 12.34,
      tenants: ['studio-x'],
    });
    expect(config(res.flags.find((f) => f.key === b.key))).toEqual({
      ...config(b),
      enabled: true,
      rollout: 100,
      prerequisites: [a.key],
      description: 'Needs a',
    });
    expect(new Set(res.history.map((h) => h.batch)).size).toBe(1);
    expect(res.history.map((h) => h.key).sort()).toEqual([a.key, b.key].sort());
    expect(config(await getFlag(a.key))).toEqual(config(res.flags.find((f) => f.key === a.key)));
  });

  it('applies nothing when any one entry is bad', async () => {
    const a = await createFlag({ enabled: true, rollout: 10 });
    const good = { key: a.key, rollout: 60, enabled: false };
    const bad: Array<[unknown, number, string, string?]> = [
      [{ changes: [good, { key: 'no.such.flag', enabled: true }], note: 'x' }, 400, 'invalid_request', 'changes.1.key'],
      [{ changes: [good, { key: a.key, rollout: 100.5 }], note: 'x' }, 400, 'invalid_request', 'changes.1.rollout'],
      [{ changes: [good, { key: a.key, rollout: -1 }], note: 'x' }, 400, 'invalid_request'],
      [{ changes: [good, { key: a.key, rollout: 12.345 }], note: 'x' }, 400, 'invalid_request', 'changes.1.rollout'],
      [{ changes: [good, { key: a.key, rollout: '50' }], note: 'x' }, 400, 'invalid_request'],
      [
        { changes: [good, { key: a.key, prerequisites: ['missing.flag'] }], note: 'x' },
        400,
        'invalid_request',
        'changes.1.prerequisites',
      ],
      [{ changes: [good, { key: a.key }], note: 'x' }, 400, 'invalid_request'],
      [{ changes: [good, { key: a.key, enabeld: true }], note: 'x' }, 400, 'invalid_request'],
      [
        { changes: [good, { key: newKey(), create: true }], note: 'x' },
        400,
        'invalid_request',
        'changes.1.description',
      ],
      [{ changes: [good, { key: a.key, create: true, description: 'dup' }], note: 'x' }, 400, 'invalid_request'],
      [{ changes: [good], note: '  ' }, 400, 'invalid_request'],
      [{ changes: [good] }, 400, 'invalid_request'],
      [{ changes: [], note: 'x' }, 400, 'invalid_request'],
      [{ changes: [good, { key: 'Bad Key!', enabled: true }], note: 'x' }, 400, 'invalid_request'],
    ];
    const historyBefore = await historyOf(a.key);
    for (const [body, status, code, path] of bad) {
      const err = await expectError(await bulk(body), status, code);
      if (path)
        expect(
          (err.error.details as Array<{ path: string }>).map((d) => d.path),
          JSON.stringify(body),
        ).toContain(path);
    }
    // The same key twice in one change is refused too: which one wins would be a guess.
    await expectError(
      await bulk({ changes: [good, { key: a.key, enabled: true }], note: 'x' }),
      400,
      'invalid_request',
    );
    expect(config(await getFlag(a.key))).toEqual(config(a));
    expect(await historyOf(a.key)).toEqual(historyBefore);
  });

  it('refuses a prerequisite cycle, whether made over two writes or in one', async () => {
    const a = await createFlag();
    const b = await createFlag();
    const c = await createFlag();
    await ok(
      bulk({
        changes: [
          { key: a.key, prerequisites: [b.key] },
          { key: b.key, prerequisites: [c.key] },
        ],
        note: 'chain',
      }),
    );
    const err = await expectError(
      await bulk({ changes: [{ key: c.key, prerequisites: [a.key] }], note: 'loop' }),
      400,
      'prerequisite_cycle',
    );
    expect((err.error.details as { cycle: string[] }).cycle).toHaveLength(4);
    await expectError(
      await bulk({ changes: [{ key: c.key, prerequisites: [c.key] }], note: 'self' }),
      400,
      'prerequisite_cycle',
    );
    const d = await createFlag();
    const e = await createFlag();
    await expectError(
      await bulk({
        changes: [
          { key: d.key, prerequisites: [e.key] },
          { key: e.key, prerequisites: [d.key] },
        ],
        note: 'both at once',
      }),
      400,
      'prerequisite_cycle',
    );
    expect((await getFlag(c.key))!.prerequisites).toEqual([]);
    expect((await getFlag(d.key))!.prerequisites).toEqual([]);
  });

  it('records concurrent bulk writes all, none lost, each against the exact state it changed', async () => {
    const f = await createFlag();
    const other = await createFlag();
    const changes = [
      { key: f.key, enabled: true },
      { key: f.key, rollout: 40 },
      { key: f.key, description: 'Changed concurrently' },
      { key: f.key, tenants: ['studio-a', 'studio-b'] },
      { key: f.key, prerequisites: [other.key] },
      { key: other.key, enabled: true },
    ];
    const answers = await Promise.all(
      changes.map((ch, i) => bulk({ changes: [ch], note: `writer ${i}` }, `writer-${i}`)),
    );
    expect(answers.map((r) => r.status)).toEqual(changes.map(() => 200));

    expect(config(await getFlag(f.key))).toEqual({
      ...config(f),
      enabled: true,
      rollout: 40,
      description: 'Changed concurrently',
      tenants: ['studio-a', 'studio-b'],
      prerequisites: [other.key],
    });
    const entries = (await historyOf(f.key)).reverse(); // oldest first
    expect(entries).toHaveLength(6); // creation + five writers
    expect(new Set(entries.slice(1).map((e) => e.note))).toEqual(new Set([0, 1, 2, 3, 4].map((i) => `writer ${i}`)));
    // An unbroken chain: each write's before is exactly the previous write's after.
    for (let i = 1; i < entries.length; i++) expect(config(entries[i]!.before)).toEqual(config(entries[i - 1]!.after));
    expect((await historyOf(other.key)).find((e) => e.note === 'writer 5')).toBeDefined();
  });
});

describe('flag admin: history and rollback', () => {
  it('pages through history newest first with a cursor, filtered by key', async () => {
    const f = await createFlag();
    for (let i = 1; i <= 7; i++) await ok(bulk({ changes: [{ key: f.key, rollout: i }], note: `step ${i}` }));
    const seen: FlagHistoryEntry[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: HistoryPage = await ok<HistoryPage>(
        call(`/admin/flags/history?key=${f.key}&limit=3${cursor ? `&cursor=${cursor}` : ''}`, { headers: ADMIN }),
      );
      expect(page.entries.length).toBeLessThanOrEqual(3);
      seen.push(...page.entries);
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen.map((e) => e.note)).toEqual([
      'step 7',
      'step 6',
      'step 5',
      'step 4',
      'step 3',
      'step 2',
      'step 1',
      'test set-up',
    ]);
    expect(seen.every((e) => e.key === f.key)).toBe(true);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.id).toBeLessThan(seen[i - 1]!.id);
    expect(seen[0]!.before!.rollout).toBe(6);
    expect(seen[0]!.after!.rollout).toBe(7);
    expect(Date.parse(seen[0]!.at)).not.toBeNaN();

    const unfiltered = await ok<HistoryPage>(call('/admin/flags/history?limit=2', { headers: ADMIN }));
    expect(unfiltered.entries).toHaveLength(2);
    expect(unfiltered.nextCursor).not.toBeNull();
    for (const q of ['limit=0', 'limit=101', 'limit=ten', 'cursor=abc', 'key=Bad%20Key', 'other=1']) {
      await expectError(await call(`/admin/flags/history?${q}`, { headers: ADMIN }), 400, 'invalid_request');
    }
  });

  it('rolls a flag back to the exact state before a change, and records the rollback', async () => {
    const base = await createFlag({ enabled: true, rollout: 100 });
    const f = await createFlag();
    const first = await ok<WriteAnswer>(
      bulk({
        changes: [
          {
            key: f.key,
            enabled: true,
            rollout: 12.34,
            tenants: ['studio-x'],
            prerequisites: [base.key],
            description: 'v2',
          },
        ],
        note: 'first',
      }),
    );
    const afterFirst = first.flags.find((x) => x.key === f.key)!;
    const second = await ok<WriteAnswer>(
      bulk({
        changes: [{ key: f.key, enabled: false, rollout: 80, tenants: [], prerequisites: [], description: 'v3' }],
        note: 'second',
      }),
    );

    const back = await ok<WriteAnswer>(rollback({ historyId: second.history[0]!.id, note: 'second was wrong' }));
    expect(config(back.flags.find((x) => x.key === f.key))).toEqual(config(afterFirst));
    expect(config(await getFlag(f.key))).toEqual(config(afterFirst));
    expect(back.history[0]).toMatchObject({
      key: f.key,
      actor: 'bob',
      note: 'second was wrong',
      rollbackOf: second.history[0]!.id,
    });
    expect(config(back.history[0]!.before)).toEqual(config(second.history[0]!.after));

    // Back past the first change too: the state right after creation, exactly.
    await ok(rollback({ historyId: first.history[0]!.id }));
    expect(config(await getFlag(f.key))).toEqual(config(f));
    expect((await historyOf(f.key))[0]!.note).toBe(`Rollback of #${first.history[0]!.id}`);

    // A rollback of a rollback works like any other entry.
    await ok(rollback({ historyId: back.history[0]!.id }));
    expect(config(await getFlag(f.key))).toEqual(config(second.history[0]!.after));
  });

  it('rolls back a creation by removing the flag, unless another flag depends on it; and can bring it back', async () => {
    const f = await createFlag({ enabled: true, rollout: 50 });
    const created = (await historyOf(f.key))[0]!;
    expect(created.before).toBeNull();
    const dependent = await createFlag({ prerequisites: [f.key] });
    const err = await expectError(await rollback({ historyId: created.id }), 409, 'conflict');
    expect((err.error.details as { dependents: string[] }).dependents).toEqual([dependent.key]);
    expect(await getFlag(f.key)).toBeDefined();

    await ok(bulk({ changes: [{ key: dependent.key, prerequisites: [] }], note: 'unhook' }));
    const removed = await ok<WriteAnswer>(rollback({ historyId: created.id }));
    expect(removed.flags.find((x) => x.key === f.key)).toBeUndefined();
    expect(await getFlag(f.key)).toBeUndefined();
    expect(removed.history[0]!.after).toBeNull();

    await ok(rollback({ historyId: removed.history[0]!.id }));
    expect(config(await getFlag(f.key))).toEqual(config(f)); // same salt: every unit is back in its bucket

    await expectError(await rollback({ historyId: 99_999_999 }), 404, 'not_found');
    await expectError(await rollback({ historyId: 'one' }), 400, 'invalid_request');
  });
});

describe('flags in the isolate cache', () => {
  it('serves reads from the cache and drops it on every write through the store', async () => {
    const f = await createFlag({ enabled: true, rollout: 100 });
    expect((await listFlags(env)).find((x) => x.key === f.key)!.rollout).toBe(100);
    // A change that bypasses the store (another isolate, say) is not seen until the TTL passes or a write here.
    await env.DB.prepare('UPDATE flags SET rollout = 5 WHERE key = ?').bind(f.key).run();
    expect((await listFlags(env)).find((x) => x.key === f.key)!.rollout).toBe(100);
    invalidateFlagCache();
    expect((await listFlags(env)).find((x) => x.key === f.key)!.rollout).toBe(5);
    await ok(bulk({ changes: [{ key: f.key, rollout: 7 }], note: 'through the API' }));
    expect((await listFlags(env)).find((x) => x.key === f.key)!.rollout).toBe(7);
  });
});

describe('flags reach the widget and the Worker', () => {
  const bootstrap = (key: string, query = '', headers: Record<string, string> = {}) =>
    call(`/v1/bootstrap${query}`, { headers: tenantHeaders(key, undefined, headers) });
  type Boot = { flags: Record<string, { enabled: boolean; reason: string }> };

  it('carries the evaluated flags in /v1/bootstrap, and its ETag changes with them', async () => {
    const t = await createTenant();
    const f = await createFlag({ enabled: true, rollout: 100 });
    const first = await bootstrap(t.publishableKey);
    expect(first.status).toBe(200);
    const body = await first.json<Boot>();
    expect(body.flags[f.key]).toEqual({ enabled: true, reason: 'DEFAULT' });
    for (const key of FLAG_KEYS) expect(body.flags[key], key).toEqual({ enabled: true, reason: 'DEFAULT' });
    const etag = first.headers.get('etag')!;
    expect((await bootstrap(t.publishableKey, '', { 'If-None-Match': etag })).status).toBe(304);

    await ok(bulk({ changes: [{ key: f.key, enabled: false }], note: 'off' }));
    const second = await bootstrap(t.publishableKey, '', { 'If-None-Match': etag });
    expect(second.status).toBe(200);
    expect(second.headers.get('etag')).not.toBe(etag);
    expect((await second.json<Boot>()).flags[f.key]).toEqual({ enabled: false, reason: 'DISABLED' });

    await ok(bulk({ changes: [{ key: f.key, enabled: true, rollout: 0, tenants: [t.id] }], note: 'just this tenant' }));
    expect((await (await bootstrap(t.publishableKey)).json<Boot>()).flags[f.key]).toEqual({
      enabled: true,
      reason: 'TARGET_MATCH',
    });
  });

  it('evaluates for the uid it is given, as the shared function does', async () => {
    const t = await createTenant();
    const f = await createFlag({ enabled: true, rollout: 50 });
    let on = 0;
    for (let i = 0; i < 40; i++) {
      const uid = `visitor-${i}`;
      const got = (await (await bootstrap(t.publishableKey, `?uid=${uid}`)).json<Boot>()).flags[f.key]!;
      expect(got).toEqual(evaluateFlag([f], f.key, { tenantId: t.id, uid }));
      if (got.enabled) on++;
    }
    expect(on).toBeGreaterThan(5);
    expect(on).toBeLessThan(35);
    const noUid = (await (await bootstrap(t.publishableKey)).json<Boot>()).flags[f.key];
    expect(noUid).toEqual(evaluateFlag([f], f.key, { tenantId: t.id }));
    await expectError(await bootstrap(t.publishableKey, `?uid=${'x'.repeat(200)}`), 400, 'invalid_request');
  });

  it('refuses a voice session whose mode flag is off: 403 feature_disabled, nothing minted', async () => {
    const t = await createTenant();
    await fakeOpenAI.reset();
    await changeProductFlag('voice.webrtc', { enabled: false });
    const err = await expectError(
      await postJson('/v1/realtime/session', t.publishableKey, { mode: 'webrtc', uid: 'visitor-1' }),
      403,
      'feature_disabled',
    );
    expect(err.error.details).toEqual({ flag: 'voice.webrtc', reason: 'DISABLED' });
    expect((await fakeOpenAI.log()).requests).toHaveLength(0);
    // Other modes follow their own flags.
    expect((await postJson('/v1/realtime/session', t.publishableKey, { mode: 'websocket' })).status).toBe(201);
  });

  it('leaves a mode whose flag is off out of bootstrap, and picks the next best as default', async () => {
    const t = await createTenant();
    await changeProductFlag('voice.webrtc', { enabled: false });
    const body = await (
      await bootstrap(t.publishableKey, '?uid=visitor-1')
    ).json<{
      modes: string[];
      defaultMode: string;
      flags: Record<string, { enabled: boolean }>;
    }>();
    expect(body.flags['voice.webrtc']!.enabled).toBe(false);
    expect(body.modes).toEqual(['websocket', 'text']);
    expect(body.defaultMode).toBe('websocket');
  });

  it('lets an allowlisted tenant through a mode at 0% and keeps others out', async () => {
    const inside = await createTenant();
    const outside = await createTenant({ id: uniqueId('out') });
    await changeProductFlag('voice.text', { rollout: 0, tenants: [inside.id] });
    expect((await postJson('/v1/realtime/session', inside.publishableKey, { mode: 'text', uid: 'v-1' })).status).toBe(
      201,
    );
    await expectError(
      await postJson('/v1/realtime/session', outside.publishableKey, { mode: 'text', uid: 'v-1' }),
      403,
      'feature_disabled',
    );
  });
});
