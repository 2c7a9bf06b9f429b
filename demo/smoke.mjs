// npm run smoke -- <url> [--key pk_...] [--origin https://...] [--no-turn] [--json]
// Checks a running Worker (deployed, or local) the way a site and an admin use it, and prints a short report:
// health, the widget script, bootstrap for the key from the origin, a foreign origin refused, one text turn through
// the relay WebSocket (it takes one voice session of the tenant's month; --no-turn skips it), and the admin API:
// refused without a token, and with ADMIN_TOKEN from the environment accepted, plus the providers' health.
// Exits 1 when a check fails. `npm test` runs it against a local `wrangler dev` (test/e2e/deploy.test.mjs).
import { parseArgs } from 'node:util';
import { WebSocket } from 'ws';

const TURN_TIMEOUT_MS = 30_000;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    key: { type: 'string', default: 'pk_demo' },
    origin: { type: 'string' },
    'no-turn': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
const base = (positionals[0] ?? '').replace(/\/+$/, '');
if (!/^https?:\/\/[^/]+$/.test(base)) {
  console.error(
    'usage: npm run smoke -- <url of the Worker> [--key pk_...] [--origin https://an-allowed-page] [--no-turn] [--json]',
  );
  process.exit(2);
}
// The demo page sits on the Worker's own origin; a tenant's site is named with --origin.
const origin = values.origin ?? base;
const key = values.key;
const adminToken = process.env.ADMIN_TOKEN ?? '';

const results = [];
const record = (status, check, detail) => results.push({ status, check, detail });

async function timed(fn) {
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: Math.round(performance.now() - t0) };
}

async function readJson(res) {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    return { raw: text.slice(0, 120) };
  }
}
const code = (body) => body?.error?.code ?? body?.raw ?? '';
const tenantHeaders = (o = origin) => ({ 'X-Voice-Buddy-Key': key, Origin: o });

/** Runs one check; any exception (no answer, timeout) is its failure, and the others still run. */
async function check(name, fn) {
  try {
    await fn();
  } catch (e) {
    record('fail', name, e.cause?.message ? `${e.message} (${e.cause.message})` : e.message);
  }
}

await check('health', async () => {
  const { value: res, ms } = await timed(() => fetch(`${base}/health`));
  const body = await readJson(res);
  if (res.status === 200 && body.ok === true) record('ok', 'health', `200 in ${ms} ms`);
  else record('fail', 'health', `GET /health answered ${res.status} ${JSON.stringify(body).slice(0, 100)}`);
});

await check('widget script', async () => {
  const res = await fetch(`${base}/voice-buddy.iife.js`);
  const bytes = (await res.arrayBuffer()).byteLength;
  const type = res.headers.get('content-type') ?? '';
  if (res.status === 200 && /javascript/.test(type))
    record('ok', 'widget script', `/voice-buddy.iife.js 200, ${(bytes / 1024).toFixed(1)} KB`);
  else
    record(
      'fail',
      'widget script',
      `/voice-buddy.iife.js answered ${res.status} (${type || 'no type'}): is dist/ built and deployed?`,
    );
});

let bootstrap = null;
await check('bootstrap', async () => {
  const { value: res, ms } = await timed(() =>
    fetch(`${base}/v1/bootstrap?uid=smoke-test`, { headers: tenantHeaders() }),
  );
  const body = await readJson(res);
  if (res.status !== 200) {
    const hint = {
      unknown_key: `no tenant has the key ${key}: pass --key`,
      origin_not_allowed: `${origin} is not on the tenant's allowlist: pass --origin`,
    }[code(body)];
    return record('fail', 'bootstrap', `${res.status} ${code(body)}${hint ? `: ${hint}` : ''}`);
  }
  bootstrap = body;
  const cors = res.headers.get('access-control-allow-origin');
  if (cors !== origin)
    return record('fail', 'bootstrap', `200 but Access-Control-Allow-Origin is ${cors ?? 'missing'}, not ${origin}`);
  record(
    'ok',
    'bootstrap',
    `"${body.tenant?.name ?? body.branding?.name ?? '?'}"${body.sandbox ? ' (sandbox)' : ''}, modes ${body.modes?.join('/')}, ${ms} ms`,
  );
});

await check('origin check', async () => {
  // The key is checked before the origin: with an unknown key this would only repeat bootstrap's failure.
  if (!bootstrap) return record('skip', 'origin check', 'needs bootstrap');
  const foreign = 'https://smoke-test.invalid';
  const res = await fetch(`${base}/v1/bootstrap`, { headers: tenantHeaders(foreign) });
  const body = await readJson(res);
  if (res.status === 403 && code(body) === 'origin_not_allowed' && !res.headers.get('access-control-allow-origin'))
    record('ok', 'origin check', `${foreign} refused (403 origin_not_allowed)`);
  else
    record('fail', 'origin check', `a foreign origin got ${res.status} ${code(body)}: the allowlist is not enforced`);
});

/** One typed turn through the relay: a user message, response.create, text until response.done. */
function textTurn(wsUrl) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const ws = new WebSocket(wsUrl, ['realtime'], { origin });
    let text = '';
    let first = null;
    const errors = [];
    const timer = setTimeout(
      () => finish(new Error(`no response.done within ${TURN_TIMEOUT_MS / 1000} s`)),
      TURN_TIMEOUT_MS,
    );
    function finish(err, value) {
      clearTimeout(timer);
      ws.removeAllListeners();
      ws.on('error', () => {});
      ws.close();
      if (err) reject(err);
      else resolve(value);
    }
    ws.on('open', () => {
      ws.send(
        JSON.stringify({
          type: 'conversation.item.create',
          item: {
            type: 'message',
            role: 'user',
            content: [{ type: 'input_text', text: 'A small fine-line rose on my wrist, please.' }],
          },
        }),
      );
      ws.send(JSON.stringify({ type: 'response.create' }));
    });
    ws.on('unexpected-response', (_req, res) => finish(new Error(`the relay refused the upgrade: ${res.statusCode}`)));
    ws.on('error', (e) => finish(e));
    ws.on('close', (closeCode, reason) => finish(new Error(`the relay closed the socket (${closeCode} ${reason})`)));
    ws.on('message', (data) => {
      let event;
      try {
        event = JSON.parse(String(data));
      } catch {
        return finish(new Error('the relay sent a frame that is not JSON'));
      }
      if (event.type === 'error') errors.push(event.error?.code ?? event.error?.type ?? 'error');
      if (event.type === 'response.output_text.delta' || event.type === 'response.output_audio_transcript.delta') {
        first ??= performance.now() - t0;
        text += event.delta ?? '';
      }
      if (event.type === 'response.done') {
        const status = event.response?.status;
        if (status !== 'completed')
          return finish(new Error(`response.done with status ${status} (${errors.join(', ') || 'no error event'})`));
        finish(null, { text, first: Math.round(first ?? 0), total: Math.round(performance.now() - t0), errors });
      }
    });
  });
}

if (values['no-turn']) {
  record('skip', 'relay text turn', '--no-turn');
} else if (!bootstrap) {
  record('skip', 'relay text turn', 'needs bootstrap');
} else {
  await check('relay text turn', async () => {
    const mode = bootstrap.modes?.includes('text')
      ? 'text'
      : bootstrap.modes?.includes('websocket')
        ? 'websocket'
        : null;
    if (!mode) return record('skip', 'relay text turn', 'the tenant allows neither text nor push-to-talk');
    const res = await fetch(`${base}/v1/realtime/session`, {
      method: 'POST',
      headers: { ...tenantHeaders(), 'Content-Type': 'application/json' },
      body: JSON.stringify({ mode, uid: 'smoke-test' }),
    });
    const body = await readJson(res);
    if (res.status !== 201 || !body.wsUrl)
      return record('fail', 'relay text turn', `POST /v1/realtime/session answered ${res.status} ${code(body)}`);
    const turn = await textTurn(body.wsUrl);
    if (!turn.text)
      return record(
        'fail',
        'relay text turn',
        `response.done without any text${turn.errors.length ? ` (errors: ${turn.errors.join(', ')})` : ''}`,
      );
    const reply = turn.text.length > 60 ? `${turn.text.slice(0, 57)}...` : turn.text;
    record(
      'ok',
      'relay text turn',
      `${mode} mode${body.sandbox ? ' (sandbox)' : ''}: first text after ${turn.first} ms, done after ${turn.total} ms: "${reply}"`,
    );
  });
}

await check('admin', async () => {
  const without = await fetch(`${base}/admin/tenants`);
  if (without.status !== 401)
    return record('fail', 'admin', `GET /admin/tenants without a token answered ${without.status}, not 401`);
  if (!adminToken) return record('ok', 'admin', '401 without a token (set ADMIN_TOKEN to check the token too)');
  const res = await fetch(`${base}/admin/tenants`, { headers: { Authorization: `Bearer ${adminToken}` } });
  const body = await readJson(res);
  if (res.status !== 200)
    return record('fail', 'admin', `401 without a token, but the given ADMIN_TOKEN got ${res.status} ${code(body)}`);
  record('ok', 'admin', `401 without a token; ADMIN_TOKEN accepted (${body.tenants?.length ?? '?'} tenants)`);
  const ping = await fetch(`${base}/v1/voice/ping`, { headers: { Authorization: `Bearer ${adminToken}` } });
  const health = await readJson(ping);
  if (ping.status !== 200)
    return record('info', 'providers', `GET /v1/voice/ping answered ${ping.status} ${code(health)}`);
  const each = ['openai', 'tts'].map(
    (p) => `${p} ${health[p]?.status ?? '?'}${health[p]?.code ? ` (${health[p].code})` : ''}`,
  );
  record('info', 'providers', each.join(', '));
});

const failed = results.filter((r) => r.status === 'fail').length;
if (values.json) {
  console.log(JSON.stringify({ url: base, key, origin, results, failed }, null, 2));
} else {
  console.log(`voice-buddy smoke test: ${base} (key ${key}, origin ${origin})`);
  for (const r of results) console.log(`  ${r.status.padEnd(5)} ${r.check.padEnd(16)} ${r.detail}`);
  console.log(
    `${results.filter((r) => r.status === 'ok').length} passed, ${failed} failed${results.some((r) => r.status === 'skip') ? ', some skipped' : ''}`,
  );
}
process.exit(failed ? 1 : 0);
