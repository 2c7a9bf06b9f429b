import { describe, expect, it } from 'vitest';
import { ADMIN, call, createTenant, ORIGIN } from './helpers.ts';

/** A small deterministic PRNG so a failure can be replayed from its seed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SAMPLES: unknown[] = [
  null,
  true,
  0,
  -1,
  1e308,
  'x',
  '',
  [],
  {},
  [null],
  { mode: null },
  { mode: 'webrtc', model: 42 },
  { mode: 'WEBRTC' },
  { mode: 'webrtc', uid: 'a'.repeat(500) },
  { mode: 'webrtc', voice: { nested: true } },
  { __proto__: { mode: 'webrtc' } },
  { constructor: { prototype: { polluted: true } } },
  { mode: 'text', extra: 'field' },
  { mode: '\u0000' },
  { mode: 'webrtc', uid: '../../etc' },
];
const RAW_BODIES = [
  '{',
  '}',
  '{"mode":',
  'null',
  '[1,2',
  '\u0000\u0001',
  '{"mode":"webrtc"}garbage',
  '\uFEFF{}',
  '{"a":1e999999}',
  '"\\ud800"',
  'true',
];
const PATHS = [
  '/v1/realtime/session',
  '/v1/realtime/session/',
  '/v1/realtime/%00',
  '/v1/bootstrap/../admin/tenants',
  '/v1/%E0%A4%A',
  '/v1/realtime/session?mode=webrtc',
  '/admin/tenants/%ZZ',
  '/admin/tenants/' + 'x'.repeat(3000),
  '/v1//bootstrap',
  '/nope',
  '/v1',
  '/admin/usage?month=%',
  '/admin/usage?tenant[]=1',
  '/v1/bootstrap?key=%FF%FE',
];
const CONTENT_TYPES = [
  'application/json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  '',
  'application/json; charset=latin1',
  'application/merge-patch+json',
];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'];

describe('fuzz: malformed input never produces a 5xx', () => {
  it('survives a few hundred malformed bodies, headers and paths', async () => {
    const t = await createTenant();
    const random = rng(20261122);
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
    let count = 0;
    for (let i = 0; i < 400; i++) {
      const method = pick(METHODS);
      const path = pick(PATHS);
      const headers: Record<string, string> = {};
      if (random() < 0.85)
        headers['X-Voice-Buddy-Key'] =
          random() < 0.8
            ? t.publishableKey
            : pick(['', 'pk_', 'pk_' + 'z'.repeat(200), 'ünïcode']).replace(/[^\x20-\x7e]/g, '?');
      if (random() < 0.85)
        headers.Origin =
          random() < 0.8 ? ORIGIN : pick(['null', 'https://evil.test', 'not a url', 'https://studio.example.com/']);
      if (random() < 0.3) Object.assign(headers, ADMIN);
      if (random() < 0.2) headers.Authorization = pick(['Bearer', 'Bearer ', 'Basic x', 'Bearer ' + 'a'.repeat(5000)]);
      const ct = pick(CONTENT_TYPES);
      if (ct) headers['Content-Type'] = ct;
      if (random() < 0.1) headers['Content-Length'] = pick(['-1', '99999999999', 'abc']);
      let body: string | undefined;
      if (method !== 'GET' && method !== 'HEAD') {
        const r = random();
        body =
          r < 0.4
            ? JSON.stringify(pick(SAMPLES))
            : r < 0.8
              ? pick(RAW_BODIES)
              : r < 0.9
                ? 'x'.repeat(70 * 1024)
                : undefined;
      }
      const label = `#${i} ${method} ${path} ${JSON.stringify(headers).slice(0, 200)} ${String(body).slice(0, 80)}`;
      let res: Response;
      try {
        res = await call(path, { method, headers, body });
      } catch (e) {
        // The Request constructor refusing a header value is the client library's own check, not ours.
        if (e instanceof TypeError) continue;
        throw e;
      }
      count++;
      const text = await res.text();
      expect(res.status, label).toBeLessThan(500);
      expect(res.headers.get('x-request-id'), label).toBeTruthy();
      if (res.status >= 400 && method !== 'HEAD') {
        const parsed = JSON.parse(text) as { error: { code: string; message: string; requestId: string } };
        expect(typeof parsed.error.code, label).toBe('string');
        expect(parsed.error.message, label).toBeTruthy();
        expect(parsed.error.requestId, label).toBe(res.headers.get('x-request-id'));
      }
    }
    expect(count).toBeGreaterThan(300);
  });

  it('gives the specific codes for malformed JSON, oversize bodies and wrong content types', async () => {
    const t = await createTenant();
    const h = { 'X-Voice-Buddy-Key': t.publishableKey, Origin: ORIGIN };
    const post = (body: string, type = 'application/json') =>
      call('/v1/realtime/session', { method: 'POST', headers: { ...h, 'Content-Type': type }, body });
    const code = async (res: Response) => [res.status, (await res.json<{ error: { code: string } }>()).error.code];
    expect(await code(await post('{"mode":'))).toEqual([400, 'invalid_json']);
    expect(await code(await post('x'.repeat(65 * 1024)))).toEqual([413, 'payload_too_large']);
    expect(await code(await post('{"mode":"webrtc"}', 'text/plain'))).toEqual([415, 'unsupported_media_type']);
    const invalid = await post('{"mode":"carrier-pigeon"}');
    const body = await invalid.json<{ error: { code: string; details: Array<{ path: string }> } }>();
    expect(invalid.status).toBe(400);
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.details[0]!.path).toBe('mode');
    expect(await code(await call('/nowhere'))).toEqual([404, 'not_found']);
  });
});
