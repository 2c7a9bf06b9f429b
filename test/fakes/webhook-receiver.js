// A tenant's image service, as far as the webhook goes: it receives generation jobs and verifies their signature
// with Node's own crypto (independently of the Worker's code). Tests read what it got through GET /__log.
//   POST /hook/<name>      answers 202
//   POST /fail/<name>      answers 500
//   POST /redirect/<name>  answers 307 to /hook/<name> (a signed job must not follow it)
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

export const WEBHOOK_TEST_SECRET = 'whsec_test_0123456789abcdef';

export function verify(secret, rawBody, timestamp, signatureHeader, nowS = Math.floor(Date.now() / 1000)) {
  if (!timestamp || !signatureHeader || Math.abs(nowS - Number(timestamp)) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest();
  return signatureHeader.split(',').some((part) => {
    const hex = part.trim().replace(/^v1=/, '');
    const given = Buffer.from(hex, 'hex');
    return part.trim().startsWith('v1=') && given.length === expected.length && timingSafeEqual(given, expected);
  });
}

export async function startWebhookReceiver({ secret = WEBHOOK_TEST_SECRET, unref = false } = {}) {
  const received = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://receiver');
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const raw = Buffer.concat(chunks).toString('utf8');
    if (url.pathname === '/__log' && req.method === 'GET') {
      const name = url.searchParams.get('name');
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ received: received.filter((r) => !name || r.name === name) }));
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
    received.push({
      name,
      kind,
      contentType: req.headers['content-type'] ?? '',
      timestamp,
      signature,
      signatureOk: verify(secret, raw, timestamp, signature),
      raw,
      body,
    });
    if (kind === 'fail') {
      res.writeHead(500, { 'content-type': 'application/json' });
      return res.end('{"error":"render farm down"}');
    }
    if (kind === 'redirect') {
      res.writeHead(307, { location: `/hook/${name}` });
      return res.end();
    }
    res.writeHead(202, { 'content-type': 'application/json' });
    res.end('{"accepted":true}');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  if (unref) server.unref();
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
