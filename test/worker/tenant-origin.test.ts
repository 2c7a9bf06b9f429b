import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { ADMIN, call, createTenant, expectError, ORIGIN, tenantHeaders, uniqueId } from './helpers.ts';

describe('tenant key and origin', () => {
  it('serves an allowed origin with CORS headers for that origin only', async () => {
    const t = await createTenant();
    const res = await call('/v1/bootstrap', { headers: tenantHeaders(t.publishableKey) });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(res.headers.get('vary')).toContain('Origin');
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses a foreign origin without CORS headers', async () => {
    const t = await createTenant();
    const res = await call('/v1/bootstrap', { headers: tenantHeaders(t.publishableKey, 'https://evil.example.net') });
    await expectError(res, 403, 'origin_not_allowed');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a look-alike origin (suffix, port, scheme)', async () => {
    const t = await createTenant();
    for (const origin of [
      'https://studio.example.com.evil.net',
      'https://studio.example.com:8443',
      'http://studio.example.com',
      'null',
    ]) {
      await expectError(
        await call('/v1/bootstrap', { headers: tenantHeaders(t.publishableKey, origin) }),
        403,
        'origin_not_allowed',
      );
    }
  });

  it('refuses a missing origin, but accepts a same-origin browser GET', async () => {
    const t = await createTenant({ allowedOrigins: ['https://vb.test'] });
    await expectError(
      await call('/v1/bootstrap', { headers: { 'X-Voice-Buddy-Key': t.publishableKey } }),
      403,
      'origin_not_allowed',
    );
    const sameOrigin = await call(`/v1/bootstrap?key=${t.publishableKey}`, {
      headers: { 'Sec-Fetch-Site': 'same-origin' },
    });
    expect(sameOrigin.status).toBe(200);
    const head = await call(`/v1/bootstrap?key=${t.publishableKey}`, {
      method: 'HEAD',
      headers: { 'Sec-Fetch-Site': 'same-origin' },
    });
    expect(head.status).toBe(200);
  });

  it("takes only a GET or HEAD without Origin as the Worker's own origin, never a POST or DELETE", async () => {
    // Browsers send Origin on every request that is not a GET or HEAD, so such a request without one is not a page
    // of ours: Sec-Fetch-Site is only a claim, which any client can make up.
    const t = await createTenant({ allowedOrigins: ['https://vb.test'] });
    const claim = {
      'X-Voice-Buddy-Key': t.publishableKey,
      'Sec-Fetch-Site': 'same-origin',
      'Content-Type': 'application/json',
    };
    const session = await call('/v1/realtime/session', { method: 'POST', headers: claim, body: '{"mode":"text"}' });
    await expectError(session, 403, 'origin_not_allowed');
    expect(session.headers.get('access-control-allow-origin')).toBeNull();
    const handoff = await call('/v1/handoff', {
      method: 'POST',
      headers: claim,
      body: JSON.stringify({ keywords: { subject: ['wolf'] } }),
    });
    await expectError(handoff, 403, 'origin_not_allowed');
    const del = await call(`/v1/avatar/session/${crypto.randomUUID()}`, { method: 'DELETE', headers: claim });
    await expectError(del, 403, 'origin_not_allowed');
    // The same POST with the page's Origin is fine.
    const withOrigin = await call('/v1/realtime/session', {
      method: 'POST',
      headers: { ...claim, Origin: 'https://vb.test' },
      body: '{"mode":"text"}',
    });
    expect(withOrigin.status).toBe(201);
  });

  it('matches wildcard subdomains only where written so', async () => {
    const t = await createTenant({ allowedOrigins: ['https://*.partner.example'] });
    expect(
      (await call('/v1/bootstrap', { headers: tenantHeaders(t.publishableKey, 'https://shop.partner.example') }))
        .status,
    ).toBe(200);
    expect(
      (await call('/v1/bootstrap', { headers: tenantHeaders(t.publishableKey, 'https://a.b.partner.example') })).status,
    ).toBe(200);
    await expectError(
      await call('/v1/bootstrap', { headers: tenantHeaders(t.publishableKey, 'https://partner.example') }),
      403,
      'origin_not_allowed',
    );
    await expectError(
      await call('/v1/bootstrap', { headers: tenantHeaders(t.publishableKey, 'http://shop.partner.example') }),
      403,
      'origin_not_allowed',
    );
  });

  it('answers preflight for an allowed origin and refuses a foreign one', async () => {
    const t = await createTenant();
    const ok = await call(`/v1/realtime/session?key=${t.publishableKey}`, {
      method: 'OPTIONS',
      headers: {
        Origin: ORIGIN,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type,x-voice-buddy-key',
      },
    });
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(ok.headers.get('access-control-allow-headers')).toContain('X-Voice-Buddy-Key');
    const noKey = await call('/v1/realtime/session', {
      method: 'OPTIONS',
      headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'POST' },
    });
    expect(noKey.status).toBe(204);
    const foreign = await call(`/v1/realtime/session?key=${t.publishableKey}`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example.net', 'Access-Control-Request-Method': 'POST' },
    });
    await expectError(foreign, 403, 'origin_not_allowed');
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers a keyless preflight for a site added or changed a moment ago, and stops for one suspended', async () => {
    // A keyless preflight is decided on the origins of all tenants, which an isolate keeps a few seconds. A write of
    // this isolate must show at once (the e2e run created a tenant, then its page's bootstrap preflight got a 403).
    const preflight = (origin: string) =>
      call('/v1/bootstrap', { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'GET' } });
    await createTenant();
    expect((await preflight(ORIGIN)).status).toBe(204);
    const fresh = `https://fresh-${uniqueId()}.example`;
    await expectError(await preflight(fresh), 403, 'origin_not_allowed');
    const t = await createTenant({ allowedOrigins: [fresh] });
    const created = await preflight(fresh);
    expect(created.status).toBe(204);
    expect(created.headers.get('access-control-allow-origin')).toBe(fresh);
    const added = `https://added-${uniqueId()}.example`;
    await expectError(await preflight(added), 403, 'origin_not_allowed');
    const put = (body: unknown) =>
      call(`/admin/tenants/${t.id}`, {
        method: 'PUT',
        headers: { ...ADMIN, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await put({ allowedOrigins: [fresh, added] })).status).toBe(200);
    expect((await preflight(added)).status).toBe(204);
    expect((await put({ status: 'suspended' })).status).toBe(200);
    await expectError(await preflight(added), 403, 'origin_not_allowed');
  });

  it('refuses an unknown or missing key with 401', async () => {
    await expectError(await call('/v1/bootstrap', { headers: tenantHeaders('pk_nobody') }), 401, 'unknown_key');
    await expectError(await call('/v1/bootstrap', { headers: { Origin: ORIGIN } }), 401, 'unknown_key');
  });

  it('does not take the key from the query string on a POST', async () => {
    const t = await createTenant();
    const res = await call(`/v1/realtime/session?key=${t.publishableKey}`, {
      method: 'POST',
      headers: { Origin: ORIGIN, 'Content-Type': 'application/json' },
      body: '{"mode":"webrtc"}',
    });
    await expectError(res, 401, 'unknown_key');
  });

  it('refuses a suspended tenant with 403 and serves it again when reactivated', async () => {
    const t = await createTenant();
    const put = (status: string) =>
      call(`/admin/tenants/${t.id}`, {
        method: 'PUT',
        headers: { ...ADMIN, 'Content-Type': 'application/json' },
        body: JSON.stringify({ status }),
      });
    expect((await put('suspended')).status).toBe(200);
    await expectError(
      await call('/v1/bootstrap', { headers: tenantHeaders(t.publishableKey) }),
      403,
      'tenant_suspended',
    );
    expect((await put('active')).status).toBe(200);
    expect((await call('/v1/bootstrap', { headers: tenantHeaders(t.publishableKey) })).status).toBe(200);
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After and RateLimit headers past the tenant requests per minute', async () => {
    const t = await createTenant({ limits: { requestsPerMinute: 3 } });
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 4; i++) {
      last = await call('/v1/bootstrap', {
        headers: tenantHeaders(t.publishableKey, ORIGIN, { 'CF-Connecting-IP': '203.0.113.7' }),
      });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    await expectError(last!, 429, 'rate_limited');
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(last!.headers.get('ratelimit-policy')).toBe('3;w=60');
    expect(last!.headers.get('ratelimit')).toMatch(/^limit=3, remaining=0, reset=\d+$/);
    // Another visitor of the same site is not held back.
    const other = await call('/v1/bootstrap', {
      headers: tenantHeaders(t.publishableKey, ORIGIN, { 'CF-Connecting-IP': '203.0.113.8' }),
    });
    expect(other.status).toBe(200);
  });
});

describe('bootstrap', () => {
  it('returns the public config with an ETag and 304 on If-None-Match', async () => {
    const t = await createTenant({
      branding: { name: 'Ink & Iron', primaryColor: '#112233', greeting: 'Hi! What shall we design?' },
    });
    const res = await call('/v1/bootstrap?uid=visitor-1', { headers: tenantHeaders(t.publishableKey) });
    expect(res.status).toBe(200);
    const body = await res.json<Record<string, unknown>>();
    expect(body).toMatchObject({
      tenant: { id: t.id },
      branding: { name: 'Ink & Iron', primaryColor: '#112233', greeting: 'Hi! What shall we design?' },
      modes: ['webrtc', 'websocket', 'text'],
      defaultMode: 'webrtc',
      models: ['gpt-realtime-2.1', 'gpt-realtime-2.1-mini'],
      sandbox: false,
      flags: {},
    });
    expect(JSON.stringify(body)).not.toContain('persona');
    const etag = res.headers.get('etag')!;
    expect(etag).toMatch(/^".+"$/);
    const again = await call('/v1/bootstrap?uid=visitor-1', {
      headers: tenantHeaders(t.publishableKey, ORIGIN, { 'If-None-Match': etag }),
    });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
  });

  it('changes its ETag when the tenant changes', async () => {
    const t = await createTenant();
    const first = (await call('/v1/bootstrap', { headers: tenantHeaders(t.publishableKey) })).headers.get('etag');
    await call(`/admin/tenants/${t.id}`, {
      method: 'PUT',
      headers: { ...ADMIN, 'Content-Type': 'application/json' },
      body: JSON.stringify({ branding: { greeting: 'Welcome back' } }),
    });
    const second = await call('/v1/bootstrap', {
      headers: tenantHeaders(t.publishableKey, ORIGIN, { 'If-None-Match': first! }),
    });
    expect(second.status).toBe(200);
    expect(second.headers.get('etag')).not.toBe(first);
  });

  it('says sandbox, marks voice as needing a provider key and defaults to text when the server has no OpenAI key', async () => {
    const t = await createTenant();
    const res = await call('/v1/bootstrap', { headers: tenantHeaders(t.publishableKey) }, { OPENAI_API_KEY: '' });
    const body = await res.json<{
      sandbox: boolean;
      modes: string[];
      unavailableModes: Record<string, string>;
      defaultMode: string;
    }>();
    expect(body.sandbox).toBe(true);
    expect(body.modes).toEqual(['webrtc', 'websocket', 'text']);
    expect(body.unavailableModes).toEqual({ webrtc: 'needs_provider_key', websocket: 'needs_provider_key' });
    expect(body.defaultMode).toBe('text');
    const keyed = await (await call('/v1/bootstrap', { headers: tenantHeaders(t.publishableKey) })).json<typeof body>();
    expect(keyed).toMatchObject({ sandbox: false, unavailableModes: {}, defaultMode: 'webrtc' });
  });
});

describe('static files the Worker answers itself', () => {
  it('answers a missing widget file with a 404 any page can read, and API paths with their own CORS', async () => {
    const res = await call('/chunks/voice-buddy-keywords.lazy-gone.js', {
      headers: { Origin: 'https://partner.example' },
    });
    await expectError(res.clone(), 404, 'not_found');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    const api = await call('/v1/nowhere', { headers: { Origin: 'https://partner.example' } });
    expect(api.status).not.toBe(200);
    expect(api.headers.get('access-control-allow-origin')).toBeNull();
  });

  it("serves earlier widget releases from R2 with the static files' headers: immutable versions, a moving major", async () => {
    await env.WIDGET_RELEASES!.put('v/0.8.1/voice-buddy.iife.js', 'console.log("0.8.1")');
    await env.WIDGET_RELEASES!.put('v/0/voice-buddy.iife.js', 'console.log("0.x")');
    await env.WIDGET_RELEASES!.put('v/0/chunks/voice-buddy-keywords.lazy-abc.js', 'export {}');
    const pinned = await call('/v/0.8.1/voice-buddy.iife.js');
    expect(pinned.status).toBe(200);
    expect(await pinned.text()).toBe('console.log("0.8.1")');
    expect(Object.fromEntries([...pinned.headers].filter(([k]) => /cache|access|cross|content-type/.test(k)))).toEqual({
      'access-control-allow-origin': '*',
      'cache-control': 'public, max-age=31536000, immutable',
      'content-type': 'text/javascript; charset=utf-8',
      'cross-origin-resource-policy': 'cross-origin',
      'x-content-type-options': 'nosniff',
    });
    const revalidated = await call('/v/0.8.1/voice-buddy.iife.js', {
      headers: { 'If-None-Match': pinned.headers.get('etag')! },
    });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get('access-control-allow-origin')).toBe('*');
    const head = await call('/v/0.8.1/voice-buddy.iife.js', { method: 'HEAD' });
    expect([head.status, await head.text()]).toEqual([200, '']);
    expect((await call('/v/0/voice-buddy.iife.js')).headers.get('cache-control')).toBe(
      'public, max-age=0, must-revalidate',
    );
    expect((await call('/v/0/chunks/voice-buddy-keywords.lazy-abc.js')).headers.get('cache-control')).toBe(
      'public, max-age=31536000, immutable',
    );
    for (const path of [
      '/v/0.8.1/other.js',
      '/v/0.8.2/voice-buddy.iife.js',
      '/v/latest/voice-buddy.iife.js',
      '/v/0.8.1/a/../../x.js',
    ]) {
      const res = await call(path);
      await expectError(res.clone(), 404, 'not_found');
      expect(res.headers.get('access-control-allow-origin'), path).toBe('*');
    }
    expect((await call('/v/0.8.1/voice-buddy.iife.js', {}, { WIDGET_RELEASES: undefined })).status).toBe(404);
  });

  it('keeps the admin console on its own origin although every other static file is public', async () => {
    const assets = {
      fetch: async () =>
        new Response('export {};', {
          headers: {
            'Content-Type': 'text/javascript',
            'Access-Control-Allow-Origin': '*',
            'Cross-Origin-Resource-Policy': 'cross-origin',
          },
        }),
    } as unknown as Fetcher;
    const res = await call('/admin/console.js', {}, { ASSETS: assets });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
  });
});
