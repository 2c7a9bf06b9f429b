import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { ADMIN, call, createTenant, expectError, uniqueId } from './helpers.ts';

const json = { 'Content-Type': 'application/json' };

describe('admin auth', () => {
  it('refuses a missing, malformed or wrong token on every admin route', async () => {
    for (const path of ['/admin/tenants', '/admin/tenants/demo', '/admin/usage']) {
      await expectError(await call(path), 401, 'unauthorized');
      await expectError(await call(path, { headers: { Authorization: 'Bearer wrong' } }), 401, 'unauthorized');
      await expectError(await call(path, { headers: { Authorization: 'Basic dGVzdA==' } }), 401, 'unauthorized');
      await expectError(
        await call(path, { headers: { Authorization: 'Bearer test-admin-token-and-more' } }),
        401,
        'unauthorized',
      );
    }
    await expectError(await call('/admin/tenants', { method: 'POST', headers: json, body: '{}' }), 401, 'unauthorized');
  });

  it('refuses everything when no ADMIN_TOKEN is configured', async () => {
    await expectError(await call('/admin/tenants', { headers: ADMIN }, { ADMIN_TOKEN: '' }), 401, 'unauthorized');
  });
});

describe('admin tenants', () => {
  it('creates, reads, lists and partially updates a tenant, recording each write', async () => {
    const t = await createTenant({ limits: { voiceSessionsPerMonth: 10 } });
    const got = await call(`/admin/tenants/${t.id}`, { headers: ADMIN });
    expect(got.status).toBe(200);
    const before = (await got.json<{ tenant: { limits: Record<string, number>; allowedOrigins: string[] } }>()).tenant;
    expect(before.limits.voiceSessionsPerMonth).toBe(10);

    const put = await call(`/admin/tenants/${t.id}`, {
      method: 'PUT',
      headers: { ...ADMIN, ...json, 'X-Admin-Actor': 'alice@example.com' },
      body: JSON.stringify({ limits: { voiceSessionsPerMonth: 100 } }),
    });
    expect(put.status).toBe(200);
    const after = (await put.json<{ tenant: typeof before }>()).tenant;
    expect(after.limits.voiceSessionsPerMonth).toBe(100);
    // Other limits and fields are kept.
    expect(after.limits.requestsPerMinute).toBe(before.limits.requestsPerMinute);
    expect(after.allowedOrigins).toEqual(before.allowedOrigins);

    const origins = await call(`/admin/tenants/${t.id}`, {
      method: 'PUT',
      headers: { ...ADMIN, ...json },
      body: JSON.stringify({ allowedOrigins: ['https://new.example.com', 'https://*.example.org'] }),
    });
    expect((await origins.json<{ tenant: typeof before }>()).tenant.allowedOrigins).toEqual([
      'https://new.example.com',
      'https://*.example.org',
    ]);

    const audit = await (
      await call(`/admin/tenants/${t.id}/audit`, { headers: ADMIN })
    ).json<{
      entries: Array<{
        actor: string;
        action: string;
        before: { limits: Record<string, number> } | null;
        after: { limits: Record<string, number> };
        at: string;
      }>;
    }>();
    expect(audit.entries.map((e) => e.action)).toEqual(['tenant.update', 'tenant.update', 'tenant.create']);
    const limitChange = audit.entries[1]!;
    expect(limitChange.actor).toBe('alice@example.com');
    expect(limitChange.before!.limits.voiceSessionsPerMonth).toBe(10);
    expect(limitChange.after.limits.voiceSessionsPerMonth).toBe(100);
    expect(Date.parse(limitChange.at)).not.toBeNaN();
    expect(audit.entries[2]!.actor).toBe('test-suite');

    const list = await (
      await call('/admin/tenants', { headers: ADMIN })
    ).json<{
      tenants: Array<{ id: string }>;
    }>();
    expect(list.tenants.map((x) => x.id)).toContain(t.id);
  });

  it('masks the webhook secret in the audit trail as everywhere else, and still records that it changed', async () => {
    const first = 'whsec_first_secret_0123456789';
    const second = 'whsec_rotated_secret_987654321';
    const handoff = (webhookSecret: string | null) => ({
      handoff: { target: 'webhook', webhookUrl: 'https://hooks.example.com/render', webhookSecret },
    });
    const t = await createTenant({ settings: handoff(first) });
    for (const secret of [second, null]) {
      const res = await call(`/admin/tenants/${t.id}`, {
        method: 'PUT',
        headers: { ...ADMIN, ...json },
        body: JSON.stringify({ settings: handoff(secret) }),
      });
      expect(res.status).toBe(200);
    }
    const res = await call(`/admin/tenants/${t.id}/audit`, { headers: ADMIN });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain(first);
    expect(text).not.toContain(second);
    type Entry = {
      action: string;
      before: { settings: { handoff: { webhookSecret: string | null } } } | null;
      after: { settings: { handoff: { webhookSecret: string | null } } };
    };
    const { entries } = JSON.parse(text) as { entries: Entry[] };
    const secrets = entries.map((e) => [
      e.before?.settings.handoff.webhookSecret ?? null,
      e.after.settings.handoff.webhookSecret,
    ]);
    // Newest first: cleared, rotated, created.
    expect(secrets).toEqual([
      ['********', null],
      ['********', '********'],
      [null, '********'],
    ]);
    for (const path of [`/admin/tenants/${t.id}`, '/admin/tenants']) {
      expect(await (await call(path, { headers: ADMIN })).text()).not.toContain(second);
    }
    // A row written before secrets were masked on the way in is masked on the way out.
    const legacy = { id: t.id, settings: handoff(first) };
    await env.DB.prepare(
      "INSERT INTO admin_audit (actor, action, target, before, after) VALUES ('old', 'tenant.update', ?, NULL, ?)",
    )
      .bind(`tenant:${t.id}`, JSON.stringify(legacy))
      .run();
    const again = await (await call(`/admin/tenants/${t.id}/audit`, { headers: ADMIN })).text();
    expect(again).not.toContain(first);
    expect((JSON.parse(again) as { entries: Entry[] }).entries[0]!.after.settings.handoff.webhookSecret).toBe(
      '********',
    );
  });

  it('validates updates and applies nothing when invalid', async () => {
    const t = await createTenant();
    const bad = [
      { limits: { voiceSessionsPerMonth: -1 } },
      { limits: { voiceSessionsPerMonth: 'lots' } },
      { limits: { unknownLimit: 5 } },
      { allowedOrigins: ['https://shop.example.com/path'] },
      { allowedOrigins: ['ftp://example.com'] },
      { allowedOrigins: 'https://example.com' },
      { status: 'deleted' },
      { defaultModel: 'not-in-the-list' },
      { branding: { primaryColor: 'red' } },
      { name: '' },
      { publishableKey: 'pk_changed' },
    ];
    for (const body of bad) {
      const res = await call(`/admin/tenants/${t.id}`, {
        method: 'PUT',
        headers: { ...ADMIN, ...json },
        body: JSON.stringify(body),
      });
      const err = await expectError(res, 400, 'invalid_request');
      expect(err.error.details, JSON.stringify(body)).toBeTruthy();
    }
    const audit = await (
      await call(`/admin/tenants/${t.id}/audit`, { headers: ADMIN })
    ).json<{
      entries: unknown[];
    }>();
    expect(audit.entries).toHaveLength(1);
  });

  it('answers 404 for an unknown tenant and 409 for a duplicate id', async () => {
    await expectError(await call('/admin/tenants/nobody-here', { headers: ADMIN }), 404, 'not_found');
    await expectError(
      await call('/admin/tenants/nobody-here', { method: 'PUT', headers: { ...ADMIN, ...json }, body: '{"name":"x"}' }),
      404,
      'not_found',
    );
    const id = uniqueId();
    await createTenant({ id });
    const dup = await call('/admin/tenants', {
      method: 'POST',
      headers: { ...ADMIN, ...json },
      body: JSON.stringify({ id, name: 'Again' }),
    });
    await expectError(dup, 409, 'conflict');
  });

  it('reports usage for one tenant and validates the month', async () => {
    const t = await createTenant();
    const res = await call(`/admin/usage?tenant=${t.id}&month=2026-03`, { headers: ADMIN });
    expect(await res.json()).toEqual({
      month: '2026-03',
      usage: [
        {
          tenant: t.id,
          month: '2026-03',
          voiceSessions: { used: 0, limit: 1000 },
          avatarSessions: { used: 0, limit: 100 },
          avatarMinutes: 0,
          avatarCostUsd: 0,
          generations: { used: 0, limit: 500 },
          ttsCharacters: { used: 0, limit: 100_000 },
        },
      ],
    });
    await expectError(await call('/admin/usage?month=2026-13', { headers: ADMIN }), 400, 'invalid_request');
    await expectError(await call('/admin/usage?tenant=nobody-here', { headers: ADMIN }), 404, 'not_found');
  });
});

describe('admin console page', () => {
  const assets = {
    fetch: async (req: Request) =>
      new URL(req.url).pathname.endsWith('.js')
        ? new Response('export {};', { headers: { 'Content-Type': 'text/javascript' } })
        : new Response('<!doctype html><vb-admin-app></vb-admin-app>', { headers: { 'Content-Type': 'text/html' } }),
  } as unknown as Fetcher;

  it('serves the page and its script without a token, with strict security headers', async () => {
    for (const path of ['/admin/', '/admin/console.js']) {
      const res = await call(path, {}, { ASSETS: assets });
      expect(res.status, path).toBe(200);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('keeps every admin API path behind the token, and answers JSON 404 without static assets', async () => {
    await expectError(await call('/admin/tenants', {}, { ASSETS: assets }), 401, 'unauthorized');
    await expectError(await call('/admin/index.html', {}, { ASSETS: assets }), 401, 'unauthorized');
    await expectError(await call('/admin/', {}, { ASSETS: undefined }), 404, 'not_found');
  });
});
