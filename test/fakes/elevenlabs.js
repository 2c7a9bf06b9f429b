// A local stand-in for ElevenLabs text-to-speech (its published API):
// POST /v1/text-to-speech/<voice_id> and POST /v1/text-to-speech/<voice_id>/stream with `xi-api-key` and
// { text, model_id, voice_settings? }, answering audio/mpeg; GET /v1/voices lists the account's voices. Like the
// real API it refuses voice ids the account does not have, and retired ones (the old default "Rachel"), with
// `404 { detail: { status: "voice_not_found" } }`. Tests steer it through /__fake/* control routes.
import { createServer } from 'node:http';
import { fakeMp3Bytes } from './mp3.js';

export const FAKE_ELEVENLABS_KEY = 'xi-fake-key-0123456789abcdef';
export const FAKE_ELEVENLABS_MODELS = ['eleven_multilingual_v2', 'eleven_flash_v2_5', 'eleven_turbo_v2_5'];
/** The default (premade) voices the current API lists, in its order, and one cloned voice of this account. */
export const FAKE_ELEVENLABS_VOICES = [
  { voice_id: 'EXAVITQu4vr4xnSDxMaL', name: 'Sarah', category: 'premade' },
  { voice_id: 'JBFqnCBsd6RMkjVDRZzb', name: 'George', category: 'premade' },
  { voice_id: 'Xb7hH8MSUJpSbSDYk0k2', name: 'Alice', category: 'premade' },
  { voice_id: 'StudioInkVoice0000001', name: 'Ink & Iron house voice', category: 'cloned' },
];
/** Voices that were defaults once and are gone: requests with them fail as for any unknown id. */
export const RETIRED_ELEVENLABS_VOICES = ['21m00Tcm4TlvDq8ikWAM' /* Rachel */, 'AZnzlk1XvdvUeBnXmlld' /* Domi */];
const OUTPUT_FORMATS = [
  'mp3_22050_32',
  'mp3_44100_32',
  'mp3_44100_64',
  'mp3_44100_96',
  'mp3_44100_128',
  'mp3_44100_192',
];

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

/** The audio for `text`: a real MP3 of silence whose length follows the text (see mp3.js). */
export const fakeMp3 = (text) => Buffer.from(fakeMp3Bytes(text));

function bodyProblem(body) {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'Body must be a JSON object';
  if (typeof body.text !== 'string' || body.text.trim() === '') return "Field 'text' is required";
  if (body.text.length > 10_000) return "Field 'text' is too long";
  if (body.model_id !== undefined && !FAKE_ELEVENLABS_MODELS.includes(body.model_id))
    return `Unknown model_id '${body.model_id}'`;
  if (body.voice_settings !== undefined && (typeof body.voice_settings !== 'object' || body.voice_settings === null)) {
    return "Field 'voice_settings' must be an object";
  }
  return null;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts the fake on 127.0.0.1 (port 0 = any free port). Returns { url, port, close, state }. Control: POST
 * /__fake/next { responses: [{ status, delayMs, contentType, empty, firstByteMs, chunkBytes, chunkDelayMs,
 * breakAfterBytes }] } scripts the next synthesis answers; POST /__fake/voices { voices } replaces the account's list;
 * GET /__fake/log lists what was received (whether the key matched, never the key itself; for streams also when the
 * request arrived and its first byte left, in ms since the epoch); POST /__fake/reset. `firstByteMs` (default 0) is how
 * long the "model" takes before the first audio: a stream's audio then follows in `chunkBytes` pieces `chunkDelayMs`
 * apart, as ElevenLabs streams while it synthesises.
 */
export async function startFakeElevenLabs({
  port = 0,
  apiKey = FAKE_ELEVENLABS_KEY,
  unref = false,
  firstByteMs = 0,
  chunkBytes = 2048,
  chunkDelayMs = 5,
} = {}) {
  const state = { queue: [], log: [], voices: FAKE_ELEVENLABS_VOICES.map((v) => ({ ...v })) };
  const knownVoice = (id) => state.voices.some((v) => v.voice_id === id);
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://fake');
    try {
      if (url.pathname === '/__fake/next' && req.method === 'POST') {
        state.queue.push(...(JSON.parse((await readBody(req)) || '{}').responses ?? []));
        return json(res, 200, { queued: state.queue.length });
      }
      if (url.pathname === '/__fake/voices' && req.method === 'POST') {
        state.voices = JSON.parse((await readBody(req)) || '{}').voices ?? [];
        return json(res, 200, { voices: state.voices.length });
      }
      if (url.pathname === '/__fake/reset' && req.method === 'POST') {
        state.queue.length = 0;
        state.log.length = 0;
        state.voices = FAKE_ELEVENLABS_VOICES.map((v) => ({ ...v }));
        return json(res, 200, { ok: true });
      }
      if (url.pathname === '/__fake/log' && req.method === 'GET') return json(res, 200, { requests: state.log });

      const key = req.headers['xi-api-key'];
      if (url.pathname === '/v1/voices' && req.method === 'GET') {
        state.log.push({ path: url.pathname, method: 'GET', keyOk: key === apiKey, hasKey: Boolean(key) });
        if (!key) return detail(res, 401, 'needs_authorization', 'Missing xi-api-key header');
        if (key !== apiKey) return detail(res, 401, 'invalid_api_key', 'Invalid API key');
        return json(res, 200, {
          voices: state.voices.map((v) => ({ ...v, labels: {}, preview_url: null, settings: null })),
        });
      }

      const match = /^\/v1\/text-to-speech\/([A-Za-z0-9]{1,64})(\/stream)?$/.exec(url.pathname);
      if (!match || req.method !== 'POST') return json(res, 404, { detail: 'Not Found' });
      const receivedAt = Date.now();
      const raw = await readBody(req);
      const stream = Boolean(match[2]);
      const entry = {
        path: url.pathname,
        voiceId: match[1],
        stream,
        keyOk: key === apiKey,
        hasKey: Boolean(key),
        accept: req.headers.accept ?? null,
        query: Object.fromEntries(url.searchParams),
        body: null,
        receivedAt,
        firstByteAt: null,
      };
      state.log.push(entry);

      const scripted = state.queue.shift();
      if (scripted?.delayMs) await sleep(scripted.delayMs);
      if (scripted?.status && scripted.status !== 200) {
        return detail(
          res,
          scripted.status,
          scripted.status === 429 ? 'too_many_concurrent_requests' : 'scripted_failure',
          `Scripted failure ${scripted.status}`,
        );
      }
      if (!key) return detail(res, 401, 'needs_authorization', 'Missing xi-api-key header');
      if (key !== apiKey) return detail(res, 401, 'invalid_api_key', 'Invalid API key');
      const format = url.searchParams.get('output_format');
      if (format !== null && !OUTPUT_FORMATS.includes(format)) {
        return json(res, 422, {
          detail: [{ loc: ['query', 'output_format'], msg: `Unknown output_format '${format}'`, type: 'value_error' }],
        });
      }
      if (RETIRED_ELEVENLABS_VOICES.includes(match[1]) || !knownVoice(match[1]))
        return detail(res, 404, 'voice_not_found', `A voice with the voice_id ${match[1]} was not found.`);
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
      const contentType = scripted?.contentType ?? 'audio/mpeg';
      if (!stream) {
        res.writeHead(200, { 'content-type': contentType, 'content-length': String(audio.length) });
        entry.firstByteAt = Date.now();
        return res.end(audio);
      }
      // The stream endpoint answers chunked, while the model is still speaking.
      const first = scripted?.firstByteMs ?? firstByteMs;
      if (first) await sleep(first);
      res.writeHead(200, { 'content-type': contentType, 'transfer-encoding': 'chunked' });
      const size = scripted?.chunkBytes ?? chunkBytes;
      const gap = scripted?.chunkDelayMs ?? chunkDelayMs;
      const breakAfter = scripted?.breakAfterBytes;
      for (let offset = 0; offset < audio.length; offset += size) {
        if (offset > 0 && gap) await sleep(gap);
        if (res.destroyed) return;
        if (breakAfter !== undefined && offset >= breakAfter) return res.destroy(); // the connection drops mid-audio
        res.write(audio.subarray(offset, offset + size));
        entry.firstByteAt ??= Date.now();
      }
      res.end();
    } catch (e) {
      if (!res.headersSent) detail(res, 500, 'internal_error', `fake failed: ${e.message}`);
      else res.destroy();
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
