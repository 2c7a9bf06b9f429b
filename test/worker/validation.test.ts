// The validator middleware (worker/validator.ts) answers every refusal in the one error shape, whatever the target:
// a JSON body (with malformed JSON, a wrong content type, an oversize body), a query string and path params.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../worker/errors.ts';
import { validate } from '../../worker/body.ts';
import { SessionBody } from '../../worker/routes/schemas.ts';
import { ADMIN, call, createTenant, tenantHeaders } from './helpers.ts';

interface Refusal {
  status: number;
  error: { code: string; message: string; requestId: string; details?: Array<{ path: string; message: string }> };
}

/** The answer's status and error; checks the shape itself: JSON, a request id that is the header's, nothing else. */
async function refusal(res: Response): Promise<Refusal> {
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const body = await res.json<{ error: Refusal['error'] }>();
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error).sort()).toEqual(
    body.error.details === undefined ? ['code', 'message', 'requestId'] : ['code', 'details', 'message', 'requestId'],
  );
  expect(body.error.requestId).toBe(res.headers.get('x-request-id'));
  expect(body.error.requestId).toMatch(/\S/);
  return { status: res.status, error: body.error };
}

const MODE_MESSAGE = 'must be "webrtc", "websocket" or "text"';

describe('validation failures keep the one error shape', () => {
  it('json: a schema failure is 400 invalid_request with every problem, dotted from the root', async () => {
    const t = await createTenant();
    const post = (body: string, type = 'application/json') =>
      call('/v1/realtime/session', {
        method: 'POST',
        headers: tenantHeaders(t.publishableKey, undefined, { 'Content-Type': type }),
        body,
      });

    const mode = await refusal(await post('{"mode":"carrier-pigeon"}'));
    expect(mode.status).toBe(400);
    expect(mode.error.code).toBe('invalid_request');
    expect(mode.error.message).toBe(`Invalid mode: ${MODE_MESSAGE}`);
    expect(mode.error.details).toEqual([{ path: 'mode', message: MODE_MESSAGE }]);

    const two = await refusal(await post('{"mode":"text","language":"english","extra":1}'));
    expect(two.error.details!.map((d) => d.path)).toEqual(['language', 'extra']);
    expect(two.error.details![0]!.message).toBe('must be an ISO-639-1 code such as "en"');

    // Not an object at all: the problem is the body itself.
    const root = await refusal(await post('42'));
    expect(root.status).toBe(400);
    expect(root.error.details![0]!.path).toBe('(body)');

    // The fake admin API validates with body.ts's validate: the same schema gives it the same words.
    let direct: unknown;
    try {
      validate(SessionBody, { mode: 'carrier-pigeon' });
    } catch (e) {
      direct = e;
    }
    expect(direct).toBeInstanceOf(ApiError);
    expect((direct as ApiError).message).toBe(mode.error.message);
    expect((direct as ApiError).details).toEqual(mode.error.details);
  });

  it('json: malformed JSON, a wrong content type, an oversize body, bad UTF-8: each its own code', async () => {
    const t = await createTenant();
    const post = (body: BodyInit, headers: Record<string, string>) => {
      const init = { method: 'POST', headers: tenantHeaders(t.publishableKey, undefined, headers), body };
      return call('/v1/realtime/session', init);
    };
    const json = { 'Content-Type': 'application/json' };

    const malformed = await refusal(await post('{"mode":', json));
    expect([malformed.status, malformed.error.code]).toEqual([400, 'invalid_json']);
    expect(malformed.error.message).toMatch(/^The request body is not valid JSON: /);
    const empty = await refusal(await post('', json));
    expect([empty.status, empty.error.code]).toEqual([400, 'invalid_json']);

    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const wrong = await refusal(await post('{"mode":"text"}', { 'Content-Type': type }));
      expect([wrong.status, wrong.error.code], type).toEqual([415, 'unsupported_media_type']);
      expect(wrong.error.message).toBe('Send the body as JSON with Content-Type: application/json');
    }
    const untyped = await refusal(await post(new Blob(['{"mode":"text"}']), {}));
    expect([untyped.status, untyped.error.code]).toEqual([415, 'unsupported_media_type']);

    const big = await refusal(await post(`{"mode":"text","model":"${'x'.repeat(65 * 1024)}"}`, json));
    expect([big.status, big.error.code]).toEqual([413, 'payload_too_large']);
    expect(big.error.message).toBe('The request body is larger than 64 KB');
    const latin1 = await refusal(await post(new Uint8Array([0x7b, 0x22, 0xe9, 0x22, 0x7d]), json));
    expect([latin1.status, latin1.error.code]).toEqual([400, 'invalid_json']);
    expect(latin1.error.message).toBe('The request body is not valid UTF-8');

    // What the validator takes as JSON: parameters and +json types as well.
    for (const type of ['application/json; charset=utf-8', 'Application/JSON', 'application/vnd.voice-buddy+json']) {
      const res = await post('{"mode":"text"}', { 'Content-Type': type });
      expect(res.status, type).toBe(201);
    }
  });

  it('json: an optional body may be empty, with or without a content type; one that is there is checked', async () => {
    const t = await createTenant();
    const post = (body: BodyInit | null, headers: Record<string, string> = {}) => {
      const init = { method: 'POST', headers: tenantHeaders(t.publishableKey, undefined, headers), body };
      return call('/v1/avatar/session', init);
    };
    // Past validation, the route itself answers: this site has not enabled the avatar.
    const empties = [
      [null, {}],
      ['', { 'Content-Type': 'application/json' }],
      ['  ', { 'Content-Type': 'text/plain' }],
    ] as const;
    for (const [body, headers] of empties) {
      const res = await refusal(await post(body, headers));
      expect([res.status, res.error.code], JSON.stringify([body, headers])).toEqual([403, 'avatar_not_enabled']);
    }
    const bad = await refusal(await post('{"quality":"ultra"}', { 'Content-Type': 'application/json' }));
    expect(bad.error.details).toEqual([{ path: 'quality', message: 'must be "high", "medium" or "low"' }]);
    const wrongType = await refusal(await post('{}', { 'Content-Type': 'text/plain' }));
    expect(wrongType.status).toBe(415);
  });

  it('query: a failure is 400 invalid_request; a repeated key is read by its first value, as before', async () => {
    const t = await createTenant();
    const boot = (qs: string) => call(`/v1/bootstrap${qs}`, { headers: tenantHeaders(t.publishableKey) });
    const uid = await refusal(await boot('?uid=not%20a%20uid'));
    expect([uid.status, uid.error.code]).toEqual([400, 'invalid_request']);
    expect(uid.error.details).toEqual([{ path: 'uid', message: 'must be 1-128 letters, digits, or . _ : -' }]);
    expect(uid.error.message).toBe('Invalid uid: must be 1-128 letters, digits, or . _ : -');
    expect((await boot('?uid=visitor-1&uid=not%20a%20uid')).status).toBe(200);
    expect((await refusal(await boot('?uid=not%20a%20uid&uid=visitor-1'))).status).toBe(400);

    const history = (qs: string) => call(`/admin/flags/history${qs}`, { headers: ADMIN });
    const limit = await refusal(await history('?limit=ten'));
    expect(limit.error.details).toEqual([{ path: 'limit', message: 'must be a number from 1 to 100' }]);
    for (const key of ['other', 'constructor', '__proto__']) {
      const unknown = await refusal(await history(`?${key}=1`));
      const got = [unknown.status, unknown.error.code, unknown.error.details![0]!.path];
      expect(got, key).toEqual([400, 'invalid_request', key]);
    }
    const month = await refusal(await call('/admin/usage?month=2026-13', { headers: ADMIN }));
    expect(month.error.details).toEqual([{ path: 'month', message: 'must be YYYY-MM' }]);
  });

  it('param: a malformed id is answered like a missing one, 404 not_found in the same shape', async () => {
    const t = await createTenant();
    const get = (path: string, init: RequestInit) => call(path, { headers: tenantHeaders(t.publishableKey), ...init });
    const cases: Array<[string, RequestInit, string]> = [
      ['/v1/generations/not-a-uuid', {}, 'Generation not found'],
      ['/v1/generations/not-a-uuid/events', {}, 'Generation not found'],
      ['/v1/avatar/session/..%2F..%2Fadmin/credentials', {}, 'Avatar session not found'],
      ['/v1/avatar/session/x', { method: 'DELETE' }, 'Avatar session not found'],
      ['/v1/avatar/session/x/close', { method: 'POST' }, 'Avatar session not found'],
    ];
    for (const [path, init, message] of cases) {
      const res = await refusal(await get(path, init));
      expect([res.status, res.error.code, res.error.message], path).toEqual([404, 'not_found', message]);
    }
    // The callback has no tenant key: the param check comes first there too.
    const callback = await refusal(await call('/v1/generations/x/callback', { method: 'POST', body: '{}' }));
    expect([callback.status, callback.error.code]).toEqual([404, 'not_found']);
  });
});
