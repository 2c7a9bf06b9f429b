// A tenant's image service, as far as the webhook goes, written the way the README tells a tenant to: Node's own
// crypto, independently of the Worker's code. It receives generation jobs, verifies their signature, and can report
// results back through the job's callbackUrl. Tests read what it got through GET /__log.
//   POST /hook/<name>      answers 202
//   POST /fail/<name>      answers 500
//   POST /redirect/<name>  answers 307 to /hook/<name> (a signed job must not follow it)
//   POST /render/<name>    answers 202, then reports progress, one concept and done to the callbackUrl, sending the
//                          first report twice (a tenant retrying after a timeout); the Worker's answers are logged
//   POST /__sign           { generationId, result, eventId?, secret?, timestamp? } -> { body, headers }: a callback
//                          signed by the tenant side, for tests that deliver it themselves
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

export const WEBHOOK_TEST_SECRET = 'whsec_test_0123456789abcdef';

/** Verifies a job we received (README, "Webhook signing"): timestamp window, then HMAC over "<timestamp>.<body>". */
export function verify(secret, rawBody, timestamp, signatureHeader, nowS = Math.floor(Date.now() / 1000)) {
  if (!/^\d+$/.test(timestamp ?? '') || !signatureHeader || Math.abs(nowS - Number(timestamp)) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest();
  return signatureHeader.split(',').some((part) => {
    const hex = part.trim().replace(/^v1=/, '');
    const given = Buffer.from(hex, 'hex');
    return part.trim().startsWith('v1=') && given.length === expected.length && timingSafeEqual(given, expected);
  });
}

/**
 * One callback as a tenant sends it: the result with the generation it is for and an event id of its own, which
 * stays the same when the same report is sent again. The signature covers the timestamp and those exact bytes.
 */
export function signCallback(
  secret,
  generationId,
  result,
  { eventId = randomUUID(), timestamp = Math.floor(Date.now() / 1000) } = {},
) {
  const body = JSON.stringify({ ...result, generationId, eventId });
  const signature = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return {
    body,
    headers: {
      'Content-Type': 'application/json',
      'X-Voice-Buddy-Timestamp': String(timestamp),
      'X-Voice-Buddy-Signature': `v1=${signature}`,
    },
  };
}

async function postCallback(secret, job, result, eventId) {
  const { body, headers } = signCallback(secret, job.generationId, result, { eventId });
  const res = await fetch(job.callbackUrl, { method: 'POST', headers, body });
  return { status: res.status, body: await res.json().catch(() => null) };
}

/** What /render does after answering the job: the reports of a small render farm, the first one sent twice. */
async function render(secret, job, log) {
  const first = randomUUID();
  const reports = [
    [{ type: 'progress', percent: 30, stage: 'rendering' }, first],
    [{ type: 'progress', percent: 30, stage: 'rendering' }, first],
    [
      {
        type: 'concept',
        index: 0,
        imageUrl: 'https://cdn.tenant.example/render/0.png',
        alt: 'Concept from the tenant',
      },
      randomUUID(),
    ],
    [{ type: 'done' }, randomUUID()],
  ];
  for (const [result, eventId] of reports) {
    try {
      log.push({ result, eventId, answer: await postCallback(secret, job, result, eventId) });
    } catch (e) {
      log.push({ result, eventId, answer: { status: 0, error: e.message } });
    }
  }
}

export async function startWebhookReceiver({ secret = WEBHOOK_TEST_SECRET, unref = false } = {}) {
  const received = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://receiver');
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const raw = Buffer.concat(chunks).toString('utf8');
    const json = (status, value) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (url.pathname === '/__log' && req.method === 'GET') {
      const name = url.searchParams.get('name');
      return json(200, { received: received.filter((r) => !name || r.name === name) });
    }
    if (url.pathname === '/__sign' && req.method === 'POST') {
      const { generationId, result, eventId, timestamp, secret: other } = JSON.parse(raw);
      return json(200, signCallback(other ?? secret, generationId, result, { eventId, timestamp }));
    }
    const [, kind, name] = url.pathname.split('/');
    if (req.method !== 'POST' || !name) {
      res.writeHead(404);
      return res.end();
    }
    const timestamp = req.headers['x-voice-buddy-timestamp'];
    const signature = req.headers['x-voice-buddy-signature'];
    let body;
    try {
      body = JSON.parse(raw);
    } catch {
      body = null;
    }
    const signatureOk = verify(secret, raw, timestamp, signature);
    const entry = {
      name,
      kind,
      contentType: req.headers['content-type'] ?? '',
      timestamp,
      signature,
      signatureOk,
      raw,
      body,
      callbacks: [],
    };
    received.push(entry);
    if (kind === 'fail') return json(500, { error: 'render farm down' });
    if (kind === 'redirect') {
      res.writeHead(307, { location: `/hook/${name}` });
      return res.end();
    }
    if (kind === 'render' && !signatureOk) return json(401, { error: 'bad signature' });
    json(202, { accepted: true });
    // A job is acted on once: a repeated generationId is a duplicate delivery, answered but not rendered again.
    const seen = received.filter((r) => r.kind === 'render' && r.body?.generationId === body?.generationId);
    if (kind === 'render' && seen.length === 1) void render(secret, body, entry.callbacks);
  });
  // Node closes an idle keep-alive socket after 5 s, racing workerd reusing it ("Network connection lost"); a
  // provider keeps them far longer.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  if (unref) server.unref();
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
