// A local stand-in for ElevenLabs text-to-speech (its published API): POST /v1/text-to-speech/<voice_id>
// (or /stream) with `xi-api-key` and { text, model_id, voice_settings? }, answering audio/mpeg. It checks what the
// real API checks and answers errors in its shape. Tests steer it through /__fake/* control routes.
import { createServer } from 'node:http';

export const FAKE_ELEVENLABS_KEY = 'xi-fake-key-0123456789abcdef';
export const FAKE_ELEVENLABS_MODELS = ['eleven_multilingual_v2', 'eleven_flash_v2_5', 'eleven_turbo_v2_5'];

function json(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const detail = (res, status, code, message) => json(res, status, { detail: { status: code, message } });

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** Some bytes that look like an MP3 (an ID3v2 header, then MPEG-1 Layer III frame headers), about 1 KB per 5 chars. */
export function fakeMp3(text) {
  const frames = Math.max(1, Math.ceil(text.length / 5));
  const frame = Buffer.alloc(417);
  frame[0] = 0xff;
  frame[1] = 0xfb;
  frame[2] = 0x90;
  frame[3] = 0x64;
  const id3 = Buffer.from([0x49, 0x44, 0x33, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]);
  return Buffer.concat([id3, ...Array.from({ length: frames }, () => frame)]);
}

function bodyProblem(body) {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'Body must be a JSON object';
  if (typeof body.text !== 'string' || body.text.trim() === '') return "Field 'text' is required";
  if (body.text.length > 10_000) return "Field 'text' is too long";
  if (body.model_id !== undefined && !FAKE_ELEVENLABS_MODELS.includes(body.model_id)) return `Unknown model_id '${body.model_id}'`;
  if (body.voice_settings !== undefined && (typeof body.voice_settings !== 'object' || body.voice_settings === null)) {
    return "Field 'voice_settings' must be an object";
  }
  return null;
}

/**
 * Starts the fake on 127.0.0.1 (port 0 = any free port). Returns { url, port, close, state }.
 * Control: POST /__fake/next { responses: [{ status, delayMs, contentType, empty }] } scripts the next answers;
 * GET /__fake/log lists what was received (whether the key matched, never the key itself); POST /__fake/reset.
 */
export async function startFakeElevenLabs({ port = 0, apiKey = FAKE_ELEVENLABS_KEY, unref = false } = {}) {
  const state = { queue: [], log: [] };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://fake');
    try {
      if (url.pathname === '/__fake/next' && req.method === 'POST') {
        state.queue.push(...(JSON.parse((await readBody(req)) || '{}').responses ?? []));
        return json(res, 200, { queued: state.queue.length });
      }
      if (url.pathname === '/__fake/reset' && req.method === 'POST') {
        state.queue.length = 0;
        state.log.length = 0;
        return json(res, 200, { ok: true });
      }
      if (url.pathname === '/__fake/log' && req.method === 'GET') return json(res, 200, { requests: state.log });

      const match = /^\/v1\/text-to-speech\/([A-Za-z0-9]{1,64})(\/stream)?$/.exec(url.pathname);
      if (!match || req.method !== 'POST') return detail(res, 404, 'not_found', `Not found (${req.method} ${url.pathname})`);
      const raw = await readBody(req);
      const key = req.headers['xi-api-key'];
      const entry = { path: url.pathname, voiceId: match[1], keyOk: key === apiKey, hasKey: Boolean(key), accept: req.headers.accept ?? null, body: null };
      state.log.push(entry);

      const scripted = state.queue.shift();
      if (scripted?.delayMs) await new Promise((r) => setTimeout(r, scripted.delayMs));
      if (scripted?.status && scripted.status !== 200) {
        return detail(res, scripted.status, scripted.status === 429 ? 'too_many_concurrent_requests' : 'scripted_failure', `Scripted failure ${scripted.status}`);
      }
      if (!key) return detail(res, 401, 'needs_authorization', 'Missing xi-api-key header');
      if (key !== apiKey) return detail(res, 401, 'invalid_api_key', 'Invalid API key');
      if (!(req.headers['content-type'] ?? '').includes('application/json')) {
        return detail(res, 415, 'unsupported_media_type', 'Content-Type must be application/json');
      }
      let body;
      try {
        body = JSON.parse(raw);
      } catch {
        return detail(res, 400, 'invalid_json', 'Body is not valid JSON');
      }
      entry.body = body;
      const problem = bodyProblem(body);
      if (problem) return json(res, 422, { detail: [{ loc: ['body'], msg: problem, type: 'value_error' }] });

      const audio = scripted?.empty ? Buffer.alloc(0) : fakeMp3(body.text);
      res.writeHead(200, { 'content-type': scripted?.contentType ?? 'audio/mpeg', 'content-length': String(audio.length) });
      res.end(audio);
    } catch (e) {
      detail(res, 500, 'internal_error', `fake failed: ${e.message}`);
    }
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
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
