// A local stand-in for the OpenAI Realtime API (GA shapes, as the official openai package types them). It checks what
// OpenAI checks (bearer key, body shape) and answers as OpenAI does. Tests steer it through /__fake/* control routes.
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { WebSocketServer } from 'ws';
import { attachSideband, callSummary, closeCalls, handleCalls } from './openai-calls.js';
import { attachRealtimeSocket } from './openai-realtime-ws.js';
import { sessionProblem } from './realtime-rules.js';

export const FAKE_OPENAI_KEY = 'sk-fake-server-key-0123456789abcdef';

function json(res, status, body, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function openaiError(res, status, type, message, code = null, headers = {}, param = null) {
  json(res, status, { error: { message, type, param, code } }, headers);
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

// Images API (POST /v1/images/generations), GPT image models: they always answer base64 (no `url`, and
// `response_format` is refused), and gpt-image-1 / dall-e-* are retired (openai 7.57 types).
const IMAGE_MODELS = [
  'gpt-image-1.5',
  'gpt-image-1-mini',
  'gpt-image-2',
  'gpt-image-2-2026-04-21',
  'gpt-image-2.5-sunburst',
  'gpt-image-2.5-sunburst-2026-09-08',
  'gpt-image-2.5-flare',
  'gpt-image-2.5-flare-2026-09-08',
  'gpt-image-2.6-sunburst',
  'gpt-image-2.6-flare',
  'chatgpt-image-latest',
];
const IMAGE_PARAMS = [
  'prompt',
  'model',
  'n',
  'size',
  'quality',
  'output_format',
  'output_compression',
  'background',
  'moderation',
  'stream',
  'partial_images',
  'user',
  'safety_identifier',
  'response_format',
  'style',
];
// A 1x1 picture in each format, enough for a data URL to be real.
const TINY_IMAGE = {
  png: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  jpeg: '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
  webp: 'UklGRiIAAABXRUJQVlA4IBYAAAAwAQCdASoBAAEADsD+JaQAA3AAAAAA',
};

/** Validates an image generation request as the API does, returning a message or null. */
export function imageRequestProblem(body) {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'The request body must be a JSON object.';
  const unknown = Object.keys(body).find((k) => !IMAGE_PARAMS.includes(k));
  if (unknown) return `Unknown parameter: '${unknown}'.`;
  if (typeof body.prompt !== 'string' || !body.prompt) return "Missing required parameter: 'prompt'.";
  if (body.prompt.length > 32000)
    return "Invalid 'prompt': string too long. Expected a string with maximum length 32000.";
  if (body.model !== undefined && !IMAGE_MODELS.includes(body.model))
    return `model_not_found:The model '${body.model}' does not exist or you do not have access to it.`;
  if (body.response_format != null)
    return "Unknown parameter: 'response_format'. GPT image models always return base64-encoded images.";
  if (body.style != null) return "Unknown parameter: 'style'.";
  if (body.n !== undefined && (!Number.isInteger(body.n) || body.n < 1 || body.n > 10))
    return "Invalid 'n': must be an integer between 1 and 10.";
  if (body.size !== undefined && !['auto', '1024x1024', '1536x1024', '1024x1536'].includes(body.size))
    return `Invalid value: '${body.size}'. Supported values are: '1024x1024', '1024x1536', '1536x1024', and 'auto'.`;
  if (body.quality !== undefined && !['low', 'medium', 'high', 'auto'].includes(body.quality))
    return `Invalid value for 'quality': '${body.quality}'.`;
  if (body.output_format !== undefined && !['png', 'jpeg', 'webp'].includes(body.output_format))
    return `Invalid value for 'output_format': '${body.output_format}'.`;
  if (body.output_compression !== undefined) {
    if (!Number.isInteger(body.output_compression) || body.output_compression < 0 || body.output_compression > 100)
      return "Invalid 'output_compression': must be between 0 and 100.";
    if (!['jpeg', 'webp'].includes(body.output_format))
      return "'output_compression' is only supported with output_format 'jpeg' or 'webp'.";
  }
  return null;
}

/**
 * What every OpenAI POST endpoint does first: log the request, play a scripted failure if one is queued, check the
 * bearer key and the JSON body as the API does. Returns { body, scripted } to go on, or null once it has answered.
 */
async function checkedJsonRequest(req, res, url, state, queue, apiKey) {
  const raw = await readBody(req);
  const auth = req.headers.authorization ?? '';
  const entry = {
    path: url.pathname,
    authScheme: auth.split(' ')[0] ?? '',
    keyOk: auth === `Bearer ${apiKey}`,
    body: null,
  };
  state.log.push(entry);
  const scripted = queue.shift();
  if (scripted?.delayMs) await new Promise((r) => setTimeout(r, scripted.delayMs));
  if (scripted?.status && scripted.status !== 200) {
    const headers = scripted.retryAfter ? { 'retry-after': String(scripted.retryAfter) } : {};
    const type =
      scripted.status === 401 ? 'invalid_request_error' : scripted.status === 429 ? 'rate_limit_error' : 'server_error';
    openaiError(
      res,
      scripted.status,
      type,
      `Scripted failure ${scripted.status}: sk-proj-secret-like-text`,
      null,
      headers,
    );
    return null;
  }
  if (!auth.startsWith('Bearer ')) {
    openaiError(res, 401, 'invalid_request_error', "You didn't provide an API key.");
    return null;
  }
  if (auth !== `Bearer ${apiKey}`) {
    openaiError(res, 401, 'invalid_request_error', 'Incorrect API key provided.', 'invalid_api_key');
    return null;
  }
  if (!(req.headers['content-type'] ?? '').includes('application/json')) {
    openaiError(res, 400, 'invalid_request_error', 'Content-Type must be application/json');
    return null;
  }
  try {
    entry.body = JSON.parse(raw);
  } catch {
    openaiError(res, 400, 'invalid_request_error', 'We could not parse the JSON body of your request.');
    return null;
  }
  return { body: entry.body, scripted };
}

async function imagesGenerations(req, res, url, state, apiKey) {
  const checked = await checkedJsonRequest(req, res, url, state, state.imageQueue, apiKey);
  if (!checked) return;
  const { body, scripted } = checked;
  const problem = imageRequestProblem(body);
  if (problem?.startsWith('model_not_found:'))
    return openaiError(res, 404, 'invalid_request_error', problem.slice(16), 'model_not_found');
  if (problem) return openaiError(res, 400, 'invalid_request_error', problem);
  if (scripted?.empty) return json(res, 200, { created: Math.floor(Date.now() / 1000), data: [] });
  const format = body.output_format ?? 'png';
  const n = body.n ?? 1;
  return json(res, 200, {
    created: Math.floor(Date.now() / 1000),
    background: 'opaque',
    data: Array.from({ length: n }, () => ({ b64_json: TINY_IMAGE[format] })),
    output_format: format,
    quality: body.quality === 'auto' || !body.quality ? 'medium' : body.quality,
    size: body.size === 'auto' || !body.size ? '1024x1024' : body.size,
    usage: {
      input_tokens: 50,
      input_tokens_details: { image_tokens: 0, text_tokens: 50 },
      output_tokens: 1056 * n,
      total_tokens: 50 + 1056 * n,
    },
  });
}

/**
 * Starts the fake on 127.0.0.1 (port 0 = any free port). Returns { url, port, close, state }.
 * Control: POST /__fake/next { responses: [{ status, delayMs, retryAfter }] } queues answers for client_secrets;
 * GET /__fake/log lists what was received (with the Authorization header's scheme, never the key itself).
 */
export async function startFakeOpenAI({ port = 0, apiKey = FAKE_OPENAI_KEY, unref = false } = {}) {
  const state = {
    queue: [],
    imageQueue: [],
    callsQueue: [],
    log: [],
    ephemeralKeys: new Map(),
    calls: new Map(),
    realtime: { connections: [], behaviour: {} },
  };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://fake');
    try {
      if (url.pathname === '/__fake/next' && req.method === 'POST') {
        const body = JSON.parse((await readBody(req)) || '{}');
        const queue =
          body.endpoint === 'images' ? state.imageQueue : body.endpoint === 'calls' ? state.callsQueue : state.queue;
        queue.push(...(body.responses ?? []));
        return json(res, 200, { queued: queue.length });
      }
      if (url.pathname === '/__fake/reset' && req.method === 'POST') {
        state.queue.length = 0;
        state.imageQueue.length = 0;
        state.callsQueue.length = 0;
        state.log.length = 0;
        state.realtime.behaviour = {};
        return json(res, 200, { ok: true });
      }
      if (url.pathname === '/__fake/realtime' && req.method === 'POST') {
        state.realtime.behaviour = JSON.parse((await readBody(req)) || '{}');
        return json(res, 200, { ok: true });
      }
      if (url.pathname === '/__fake/log' && req.method === 'GET') {
        return json(res, 200, {
          requests: state.log,
          realtime: state.realtime.connections.map((c) => c.summary()),
          calls: [...state.calls.values()].map(callSummary),
        });
      }
      if (url.pathname === '/v1/realtime/client_secrets' && req.method === 'POST') {
        const checked = await checkedJsonRequest(req, res, url, state, state.queue, apiKey);
        if (!checked) return;
        const { body } = checked;
        const seconds = body.expires_after?.seconds ?? 600;
        if (body.expires_after && (body.expires_after.anchor !== 'created_at' || seconds < 10 || seconds > 7200)) {
          return openaiError(res, 400, 'invalid_request_error', "Invalid 'expires_after'");
        }
        const problem = sessionProblem(body.session, { today: state.realtime.behaviour.today });
        if (problem)
          return openaiError(res, 400, 'invalid_request_error', problem.message, problem.code, {}, problem.param);
        const now = Math.floor(Date.now() / 1000);
        const value = `ek_${randomBytes(16).toString('hex')}`;
        // One key may open several sessions until it expires; after that it is refused.
        state.ephemeralKeys.set(value, { expiresAt: now + seconds, session: body.session });
        return json(res, 200, {
          value,
          expires_at: now + seconds,
          session: {
            ...body.session,
            id: `sess_${randomBytes(8).toString('hex')}`,
            object: 'realtime.session',
            expires_at: 0,
          },
        });
      }
      if (url.pathname === '/v1/images/generations' && req.method === 'POST')
        return await imagesGenerations(req, res, url, state, apiKey);
      if (await handleCalls(req, res, url, state, apiKey)) return;
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
      // A refused upgrade is an ordinary HTTP answer with OpenAI's error body; the socket is not reused after it.
      const body = JSON.stringify({
        error: { type: 'invalid_request_error', code: 'refused', message: 'Refused by the fake', param: null },
      });
      socket.end(
        `HTTP/1.1 ${state.realtime.behaviour.refuse} Refused\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
      return;
    }
    const callId = url.searchParams.get('call_id');
    if (callId) {
      // The sideband of a WebRTC call: the server key only.
      if (key !== apiKey)
        return void socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return attachSideband(wss, req, socket, head, state, callId);
    }
    const ephemeral = key ? state.ephemeralKeys.get(key) : undefined;
    const keyOk = key === apiKey || (ephemeral && ephemeral.expiresAt > Date.now() / 1000);
    if (!keyOk) {
      const body = JSON.stringify({
        error: {
          type: 'invalid_request_error',
          code: 'invalid_api_key',
          message: ephemeral ? 'The ephemeral key has expired.' : 'Incorrect API key provided.',
          param: null,
        },
      });
      socket.end(
        `HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const model = url.searchParams.get('model') ?? ephemeral?.session.model ?? 'gpt-realtime-2.1';
      attachRealtimeSocket(ws, { model, state, config: ephemeral?.session });
    });
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
        closeCalls(state);
        for (const ws of wss.clients) ws.terminate();
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
