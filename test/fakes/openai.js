// A local stand-in for the OpenAI Realtime API (GA shapes, ../../../shared/PROTOCOLS.md). It checks what OpenAI
// checks (bearer key, body shape) and answers as OpenAI does. Tests steer it through /__fake/* control routes.
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { WebSocketServer } from 'ws';
import { attachRealtimeSocket } from './openai-realtime-ws.js';

export const FAKE_OPENAI_KEY = 'sk-fake-server-key-0123456789abcdef';

function json(res, status, body, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function openaiError(res, status, type, message, code = null, headers = {}) {
  json(res, status, { error: { message, type, param: null, code } }, headers);
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** Validates a GA realtime session object the way the API does, returning a message or null. */
export function sessionProblem(session) {
  if (!session || typeof session !== 'object') return 'Missing required parameter: session';
  if (session.type !== 'realtime') return "Invalid value for 'session.type': expected 'realtime'";
  if (typeof session.model !== 'string' || !session.model) return "Missing required parameter: 'session.model'";
  if ('modalities' in session) return "Unknown parameter: 'session.modalities' (use output_modalities)";
  if (session.output_modalities && !Array.isArray(session.output_modalities)) return "Invalid type for 'session.output_modalities'";
  if (session.tools && !Array.isArray(session.tools)) return "Invalid type for 'session.tools'";
  for (const tool of session.tools ?? []) {
    if (tool.type !== 'function' || typeof tool.name !== 'string') return "Invalid value for 'session.tools[]'";
    if (tool.parameters && tool.parameters.type !== 'object') return "Invalid schema for function: parameters must be an object schema";
  }
  const td = session.audio?.input?.turn_detection;
  if (td && !['server_vad', 'semantic_vad'].includes(td.type)) return "Invalid value for 'session.audio.input.turn_detection.type'";
  return null;
}

/**
 * Starts the fake on 127.0.0.1 (port 0 = any free port). Returns { url, port, close, state }.
 * Control: POST /__fake/next { responses: [{ status, delayMs, retryAfter }] } queues answers for client_secrets;
 * GET /__fake/log lists what was received (with the Authorization header's scheme, never the key itself).
 */
export async function startFakeOpenAI({ port = 0, apiKey = FAKE_OPENAI_KEY, unref = false } = {}) {
  const state = { queue: [], log: [], realtime: { connections: [], behaviour: {} } };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://fake');
    try {
      if (url.pathname === '/__fake/next' && req.method === 'POST') {
        const body = JSON.parse((await readBody(req)) || '{}');
        state.queue.push(...(body.responses ?? []));
        return json(res, 200, { queued: state.queue.length });
      }
      if (url.pathname === '/__fake/reset' && req.method === 'POST') {
        state.queue.length = 0;
        state.log.length = 0;
        state.realtime.behaviour = {};
        return json(res, 200, { ok: true });
      }
      if (url.pathname === '/__fake/realtime' && req.method === 'POST') {
        state.realtime.behaviour = JSON.parse((await readBody(req)) || '{}');
        return json(res, 200, { ok: true });
      }
      if (url.pathname === '/__fake/log' && req.method === 'GET') {
        return json(res, 200, { requests: state.log, realtime: state.realtime.connections.map((c) => c.summary()) });
      }
      if (url.pathname === '/v1/realtime/client_secrets' && req.method === 'POST') {
        const raw = await readBody(req);
        const auth = req.headers.authorization ?? '';
        const entry = { path: url.pathname, authScheme: auth.split(' ')[0] ?? '', keyOk: auth === `Bearer ${apiKey}`, body: null };
        state.log.push(entry);
        const scripted = state.queue.shift();
        if (scripted?.delayMs) await new Promise((r) => setTimeout(r, scripted.delayMs));
        if (scripted?.status && scripted.status !== 200) {
          const headers = scripted.retryAfter ? { 'retry-after': String(scripted.retryAfter) } : {};
          const type = scripted.status === 401 ? 'invalid_request_error' : scripted.status === 429 ? 'rate_limit_error' : 'server_error';
          return openaiError(res, scripted.status, type, `Scripted failure ${scripted.status}: sk-proj-secret-like-text`, null, headers);
        }
        if (!auth.startsWith('Bearer ')) return openaiError(res, 401, 'invalid_request_error', "You didn't provide an API key.");
        if (auth !== `Bearer ${apiKey}`) return openaiError(res, 401, 'invalid_request_error', 'Incorrect API key provided.', 'invalid_api_key');
        if (!(req.headers['content-type'] ?? '').includes('application/json')) {
          return openaiError(res, 400, 'invalid_request_error', 'Content-Type must be application/json');
        }
        let body;
        try {
          body = JSON.parse(raw);
        } catch {
          return openaiError(res, 400, 'invalid_request_error', 'We could not parse the JSON body of your request.');
        }
        entry.body = body;
        const seconds = body.expires_after?.seconds ?? 600;
        if (body.expires_after && (body.expires_after.anchor !== 'created_at' || seconds < 10 || seconds > 7200)) {
          return openaiError(res, 400, 'invalid_request_error', "Invalid 'expires_after'");
        }
        const problem = sessionProblem(body.session);
        if (problem) return openaiError(res, 400, 'invalid_request_error', problem);
        const now = Math.floor(Date.now() / 1000);
        return json(res, 200, {
          value: `ek_${randomBytes(16).toString('hex')}`,
          expires_at: now + seconds,
          session: { ...body.session, id: `sess_${randomBytes(8).toString('hex')}`, object: 'realtime.session', expires_at: 0 },
        });
      }
      openaiError(res, 404, 'invalid_request_error', `Invalid URL (${req.method} ${url.pathname})`);
    } catch (e) {
      openaiError(res, 500, 'server_error', `fake failed: ${e.message}`);
    }
  });

  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url, 'http://fake');
    if (url.pathname !== '/v1/realtime') return socket.destroy();
    const auth = req.headers.authorization ?? '';
    const protocols = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim());
    const viaProtocol = protocols.find((p) => p.startsWith('openai-insecure-api-key.'));
    const key = auth.startsWith('Bearer ') ? auth.slice(7) : viaProtocol?.slice('openai-insecure-api-key.'.length);
    if (state.realtime.behaviour.refuse) {
      socket.end(`HTTP/1.1 ${state.realtime.behaviour.refuse} Refused\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    if (key !== apiKey && !key?.startsWith('ek_')) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      attachRealtimeSocket(ws, { model: url.searchParams.get('model') ?? 'gpt-realtime', state });
    });
  });

  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  if (unref) server.unref();
  const actual = server.address().port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    state,
    close: () =>
      new Promise((resolve) => {
        for (const ws of wss.clients) ws.terminate();
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
