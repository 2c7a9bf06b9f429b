// npm run tenant -- <create|update|show|list> ...: tenants over the admin API of a running Worker (local or deployed).
//   ADMIN_TOKEN=... npm run tenant -- create ink-iron --url https://voice.example.com --name "Ink & Iron" \
//       --origin https://inkandiron.example --origin https://www.inkandiron.example
//   npm run tenant -- update ink-iron --origin https://new.example --status suspended --json '{"limits":{"voiceSessionsPerMonth":5000}}'
//   npm run tenant -- show ink-iron        npm run tenant -- list
// The admin token comes from the ADMIN_TOKEN environment variable only (never an argument: shell history and the
// process list would keep it); the Worker's URL from --url or VOICE_BUDDY_URL.
import { parseArgs } from 'node:util';

const USAGE = `usage: npm run tenant -- <create ID | update ID | show ID | list> [options]
  --url URL            the Worker (default: $VOICE_BUDDY_URL)
  --name NAME          the site's name (create: required)
  --origin ORIGIN      an allowed origin, scheme://host[:port]; repeat for several (update: replaces the list)
  --key pk_...         create: the publishable key (default: a random one)
  --status S           active | suspended
  --json '{...}'       any other fields of POST/PUT /admin/tenants (limits, branding, persona, settings, ...)
  --actor NAME         recorded in the audit trail (default: npm-run-tenant)
environment: ADMIN_TOKEN (required), VOICE_BUDDY_URL`;

function fail(message) {
  console.error(`npm run tenant: ${message}`);
  process.exit(1);
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      name: { type: 'string' },
      origin: { type: 'string', multiple: true },
      key: { type: 'string' },
      status: { type: 'string' },
      json: { type: 'string' },
      actor: { type: 'string', default: 'npm-run-tenant' },
      help: { type: 'boolean', short: 'h' },
    },
  });
} catch (e) {
  fail(`${e.message}\n${USAGE}`);
}
const { values, positionals } = parsed;
const [command, id] = positionals;
if (values.help || !command) {
  console.log(USAGE);
  process.exit(values.help ? 0 : 1);
}
if (!['create', 'update', 'show', 'list'].includes(command)) fail(`unknown command "${command}"\n${USAGE}`);
if (command !== 'list' && !id) fail(`${command} needs the tenant id\n${USAGE}`);

const base = (values.url ?? process.env.VOICE_BUDDY_URL ?? '').replace(/\/+$/, '');
if (!/^https?:\/\/[^/]+$/.test(base)) fail('give the Worker as --url https://... (or VOICE_BUDDY_URL), without a path');
const token = process.env.ADMIN_TOKEN;
if (!token)
  fail("set ADMIN_TOKEN in the environment to the Worker's admin token (`npx wrangler secret put ADMIN_TOKEN` set it)");

function body() {
  let extra = {};
  if (values.json) {
    try {
      extra = JSON.parse(values.json);
    } catch (e) {
      fail(`--json is not JSON: ${e.message}`);
    }
  }
  return {
    ...extra,
    ...(command === 'create' ? { id } : {}),
    ...(values.name !== undefined ? { name: values.name } : {}),
    ...(values.origin ? { allowedOrigins: values.origin } : {}),
    ...(values.key !== undefined ? { publishableKey: values.key } : {}),
    ...(values.status !== undefined ? { status: values.status } : {}),
  };
}

async function admin(method, path, payload) {
  let res;
  try {
    res = await fetch(`${base}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        'X-Admin-Actor': values.actor,
        ...(payload ? { 'Content-Type': 'application/json' } : {}),
      },
      body: payload ? JSON.stringify(payload) : undefined,
    });
  } catch (e) {
    fail(`${base} could not be reached: ${e.cause?.message ?? e.message}`);
  }
  const text = await res.text();
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    fail(`${method} ${path} answered ${res.status} with something that is not JSON: ${text.slice(0, 200)}`);
  }
  if (!res.ok) {
    const details = (data.error?.details ?? []).map((d) => `\n  - ${d.path}: ${d.message}`).join('');
    fail(
      `${method} ${path} answered ${res.status} ${data.error?.code ?? ''}: ${data.error?.message ?? text}${details}`,
    );
  }
  return data;
}

function describe(t) {
  return [
    `${t.id}  ${t.name}  (${t.status})`,
    `  publishable key: ${t.publishableKey}`,
    `  allowed origins: ${t.allowedOrigins.length ? t.allowedOrigins.join(', ') : '(none: the widget works on no page yet; add --origin)'}`,
    `  modes: ${t.allowedModes.join(', ')}; models: ${t.allowedModels.join(', ')} (default ${t.defaultModel})`,
  ].join('\n');
}

const snippet = (t) =>
  `<script src="${base}/voice-buddy.iife.js" async></script>\n<voice-buddy key="${t.publishableKey}"></voice-buddy>`;

if (command === 'list') {
  const { tenants } = await admin('GET', '/admin/tenants');
  console.log(
    tenants.length
      ? tenants.map(describe).join('\n')
      : 'No tenants yet: npm run tenant -- create <id> --name ... --origin ...',
  );
} else if (command === 'show') {
  const { tenant } = await admin('GET', `/admin/tenants/${encodeURIComponent(id)}`);
  console.log(describe(tenant));
} else {
  if (command === 'create' && values.name === undefined) fail('create needs --name');
  const payload = body();
  const { tenant } =
    command === 'create'
      ? await admin('POST', '/admin/tenants', payload)
      : await admin('PUT', `/admin/tenants/${encodeURIComponent(id)}`, payload);
  console.log(
    `${command === 'create' ? 'Created' : 'Updated'} ${describe(tenant)}\n\nOn a page of an allowed origin:\n${snippet(tenant)}`,
  );
}
