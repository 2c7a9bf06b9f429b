// A local stand-in for Akool's live avatar API v4 (Akool's published docs): create,
// detail and close under /api/open/v4/liveAvatar/session/*, with the API key in `x-api-key`. Like Akool it answers
// HTTP 200 with a business `code` (1000 = success) for most failures. Tests steer it through /__fake/* routes.
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';

export const FAKE_AKOOL_KEY = 'akool-fake-key-0123456789abcdef';
/** Avatars this fake account owns; any other id is answered as a missing resource. */
export const FAKE_AKOOL_AVATARS = ['dvp_Tristan_cloth2_1080P', 'dvp_Alinna_realisticbg_20241224', 'studio_custom_1'];
const BASE = '/api/open/v4/liveAvatar/session';
// Fields Akool's create accepts (docs, Create Session); anything else is a parameter error.
const CREATE_FIELDS = [
  'avatar_id',
  'duration',
  'knowledge_id',
  'voice_id',
  'language',
  'mode_type',
  'background_url',
  'stream_type',
  'credentials',
  'voice_params',
  'webhookUrl',
];
// Words no answer of the Worker may repeat: Akool's own wording is not passed through.
export const AKOOL_INTERNAL_MARK = 'AKOOL-INTERNAL-DETAIL';

function json(res, status, body, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
const business = (res, code, msg, headers = {}) =>
  json(res, 200, { code, msg: `${msg} (${AKOOL_INTERNAL_MARK})` }, headers);

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function createProblem(body) {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'body must be an object';
  const unknown = Object.keys(body).find((k) => !CREATE_FIELDS.includes(k));
  if (unknown) return `unknown parameter ${unknown}`;
  if (typeof body.avatar_id !== 'string' || !body.avatar_id) return 'avatar_id is required';
  if (body.duration !== undefined && (!Number.isInteger(body.duration) || body.duration < 1 || body.duration > 3600))
    return 'duration must be 1-3600 seconds';
  if (body.mode_type !== undefined && ![1, 2].includes(body.mode_type)) return 'mode_type must be 1 or 2';
  if (body.stream_type !== undefined && !['agora', 'livekit', 'trtc'].includes(body.stream_type))
    return 'unknown stream_type';
  return null;
}

/**
 * Starts the fake on 127.0.0.1 (port 0 = any free port). Returns { url, port, close, state }.
 * Readiness: whether Akool starts the avatar before a viewer is in the Agora channel is not documented, so the fake
 * does both. `readyWhen: 'joined'` (the default, the stricter): a session stays queueing (1) until someone joins its
 * channel (POST /__fake/join, what a fake Agora reports), then turns processing (2) `readyAfterMs` later.
 * `readyWhen: 'own'`: it turns processing `readyAfterMs` after create, whoever joins.
 * Every create and detail answer carries a freshly minted Agora token valid `tokenTtlMs` (Akool: about 5 minutes).
 * Control:
 * - POST /__fake/next { endpoint?: 'create' | 'detail' | 'close', responses: [{ http, code, retryAfter, delayMs,
 *   outcome: 'ready' | 'fail' | 'never' | 'complete', readyAfterMs, readyWhen }] } scripts the next answers of that
 *   endpoint (create by default); `outcome`/`readyAfterMs`/`readyWhen` shape how a created session's status moves.
 * - POST /__fake/join { channel } or { id }: a viewer joined the session's channel.
 * - GET /__fake/token?token=: { valid, channel, uid, expiresAt } for a token this fake minted (a fake Agora checks it).
 * - GET /__fake/log: what was received (whether the key matched, never the key itself); GET /__fake/sessions.
 * - POST /__fake/reset.
 */
export async function startFakeAkool({
  port = 0,
  apiKey = FAKE_AKOOL_KEY,
  unref = false,
  readyAfterMs = 150,
  readyWhen = 'joined',
  tokenTtlMs = 300_000,
} = {}) {
  const state = { sessions: new Map(), queues: { create: [], detail: [], close: [] }, log: [], tokens: new Map() };
  let agoraUid = 100000;

  /** Status as Akool reports it: 1 queueing, then 2 processing, 3 completed (closed or out of time), 4 failed. */
  function statusOf(s) {
    const now = Date.now();
    if (s.closed || now - s.createdAt >= s.duration * 1000) return 3;
    // A failure needs no viewer: Akool fails a session it cannot start whoever is in the channel.
    if (s.outcome === 'fail') return now - s.createdAt >= s.readyAfterMs ? 4 : 1;
    const from = s.readyWhen === 'own' ? s.createdAt : s.joinedAt;
    if (s.outcome === 'never' || from === null || now - from < s.readyAfterMs) return 1;
    if (s.outcome === 'complete') return 3;
    return 2;
  }
  function mint(s) {
    const token = `007eJx${randomBytes(24).toString('base64url')}`;
    state.tokens.set(token, { channel: s.channel, uid: s.agoraUid, expiresAt: Date.now() + tokenTtlMs });
    s.tokensMinted++;
    return token;
  }
  const view = (s) => {
    const status = statusOf(s);
    const running = status === 1 || status === 2;
    return {
      _id: s.id,
      uid: 100010,
      type: 1,
      status,
      stream_type: 'agora',
      credentials: {
        agora_uid: s.agoraUid,
        agora_app_id: s.appId,
        agora_channel: s.channel,
        ...(running ? { agora_token: mint(s) } : {}),
      },
    };
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://fake');
    try {
      if (url.pathname === '/__fake/next' && req.method === 'POST') {
        const body = JSON.parse((await readBody(req)) || '{}');
        const queue = state.queues[body.endpoint ?? 'create'];
        if (!queue) return json(res, 400, { error: 'unknown endpoint' });
        queue.push(...(body.responses ?? []));
        return json(res, 200, { queued: queue.length });
      }
      if (url.pathname === '/__fake/reset' && req.method === 'POST') {
        for (const q of Object.values(state.queues)) q.length = 0;
        state.log.length = 0;
        return json(res, 200, { ok: true });
      }
      if (url.pathname === '/__fake/join' && req.method === 'POST') {
        const body = JSON.parse((await readBody(req)) || '{}');
        const s = [...state.sessions.values()].find((x) => x.id === body.id || x.channel === body.channel);
        if (!s) return json(res, 404, { error: 'no such session' });
        s.joinedAt ??= Date.now();
        return json(res, 200, { status: statusOf(s) });
      }
      if (url.pathname === '/__fake/token' && req.method === 'GET') {
        const t = state.tokens.get(url.searchParams.get('token') ?? '');
        return json(res, 200, t ? { valid: t.expiresAt > Date.now(), ...t } : { valid: false });
      }
      if (url.pathname === '/__fake/log' && req.method === 'GET') return json(res, 200, { requests: state.log });
      if (url.pathname === '/__fake/sessions' && req.method === 'GET') {
        return json(res, 200, {
          sessions: [...state.sessions.values()].map((s) => ({
            id: s.id,
            avatarId: s.avatarId,
            duration: s.duration,
            status: statusOf(s),
            closed: s.closed,
            closeCalls: s.closeCalls,
            channel: s.channel,
            joined: s.joinedAt !== null,
            tokensMinted: s.tokensMinted,
          })),
        });
      }

      const endpoint = { [`${BASE}/create`]: 'create', [`${BASE}/detail`]: 'detail', [`${BASE}/close`]: 'close' }[
        url.pathname
      ];
      const method = endpoint === 'detail' ? 'GET' : 'POST';
      if (!endpoint || req.method !== method) return json(res, 404, { code: 404, msg: 'Not Found' });
      const raw = await readBody(req);
      const key = req.headers['x-api-key'];
      const entry = {
        endpoint,
        method: req.method,
        query: url.search,
        keyOk: key === apiKey,
        hasKey: Boolean(key),
        bearer: /^Bearer /i.test(req.headers.authorization ?? ''),
        body: null,
      };
      state.log.push(entry);

      const scripted = state.queues[endpoint].shift();
      if (scripted?.delayMs) await new Promise((r) => setTimeout(r, scripted.delayMs));
      if (scripted?.http && scripted.http !== 200) {
        const headers = scripted.retryAfter ? { 'retry-after': String(scripted.retryAfter) } : {};
        return json(
          res,
          scripted.http,
          {
            code: scripted.http === 429 ? 1005 : scripted.http,
            msg: `Scripted HTTP ${scripted.http} (${AKOOL_INTERNAL_MARK})`,
          },
          headers,
        );
      }
      if (scripted?.code && scripted.code !== 1000)
        return business(res, scripted.code, `Scripted code ${scripted.code}`);

      if (!key && !entry.bearer) return business(res, 1102, 'Authorization cannot be empty');
      if (key !== apiKey) return business(res, 1101, 'Invalid authorization or The request token has expired');

      if (endpoint === 'detail') {
        const id = url.searchParams.get('id');
        if (!id) return business(res, 1003, 'Parameter error');
        const s = state.sessions.get(id);
        if (!s) return business(res, 1216, 'liveAvatar session not exist');
        return json(res, 200, { code: 1000, msg: 'OK', data: view(s) });
      }

      if (!(req.headers['content-type'] ?? '').includes('application/json'))
        return business(res, 1003, 'Parameter error: JSON body expected');
      let body;
      try {
        body = JSON.parse(raw);
      } catch {
        return business(res, 1003, 'Parameter error: invalid JSON');
      }
      entry.body = body;

      if (endpoint === 'close') {
        if (!body || typeof body.id !== 'string' || Object.keys(body).length !== 1)
          return business(res, 1003, 'Parameter error');
        const s = state.sessions.get(body.id);
        if (!s) return business(res, 1216, 'liveAvatar session not exist');
        s.closeCalls++;
        if (s.closed) return business(res, 1219, 'liveAvatar closed');
        s.closed = true;
        return json(res, 200, { code: 1000, msg: 'OK' });
      }

      const problem = createProblem(body);
      if (problem) return business(res, 1003, `Parameter error: ${problem}`);
      if (!FAKE_AKOOL_AVATARS.includes(body.avatar_id)) return business(res, 1014, 'Resource does not exist');
      const s = {
        id: randomBytes(12).toString('hex'),
        avatarId: body.avatar_id,
        duration: body.duration ?? 600,
        createdAt: Date.now(),
        readyAfterMs: scripted?.readyAfterMs ?? readyAfterMs,
        readyWhen: scripted?.readyWhen ?? readyWhen,
        joinedAt: null,
        outcome: scripted?.outcome ?? 'ready',
        agoraUid: agoraUid++,
        appId: randomBytes(16).toString('hex'),
        channel: `vb_${randomBytes(6).toString('hex')}`,
        tokensMinted: 0,
        closed: false,
        closeCalls: 0,
      };
      state.sessions.set(s.id, s);
      return json(res, 200, { code: 1000, msg: 'OK', data: view(s) });
    } catch (e) {
      json(res, 500, { code: 500, msg: `fake failed: ${e.message}` });
    }
  });
  // Node closes an idle keep-alive socket after 5 s, racing workerd reusing it ("Network connection lost"); a
  // provider keeps them far longer.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  if (unref) server.unref();
  const actual = server.address().port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    state,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
