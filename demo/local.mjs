// Local set-up shared by `npm start`, the end-to-end tests and the benchmarks: D1 migrations, the demo tenant,
// the widget build and a `wrangler dev` on 127.0.0.1. Only processes started here are stopped here, by PID.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { warnAboutSecretVars } from './config-check.mjs';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WRANGLER = join(ROOT, 'node_modules/.bin/wrangler');
const QUIET_ENV = { CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false', NO_D1_WARNING: 'true' };

const DEMO_PERSONA = `You are the design assistant of Ink & Iron, a tattoo studio.
Help the visitor turn a tattoo idea into a clear brief: subject, style, colours, placement, size, mood and any lettering.
Suggest styles the studio does well (fine-line, traditional, japanese, blackwork, watercolor) when the visitor is unsure.
Never give medical advice; for pricing or bookings, say the studio will follow up.`;

const sql = (s) => `'${String(s).replace(/'/g, "''")}'`;

/** The demo tenant: pk_demo, allowed on 127.0.0.1 and localhost at 8787 and at the port in use. */
export function demoTenantSql(port) {
  const origins = [...new Set([8787, Number(port)])].flatMap((p) => [`http://127.0.0.1:${p}`, `http://localhost:${p}`]);
  const limits = {
    voiceSessionsPerMonth: 100000,
    avatarSessionsPerMonth: 10000,
    generationsPerMonth: 100000,
    requestsPerMinute: 100000,
  };
  const branding = {
    name: 'Ink & Iron',
    primaryColor: '#1f2937',
    accentColor: '#d97706',
    greeting: "Hi! I'm the Ink & Iron design assistant. What would you like to get tattooed?",
  };
  // The demo is for site owners: it shows their figures (tokens, rate limits) and the model picker.
  const settings = {
    avatar: { enabled: true, durationSeconds: 600, costPerMinuteUsd: 0.1 },
    handoff: { target: 'sandbox' },
    widget: { ownerView: true },
  };
  const v = {
    id: sql('demo'),
    publishable_key: sql('pk_demo'),
    name: sql('Ink & Iron (demo)'),
    status: sql('active'),
    allowed_origins: sql(JSON.stringify(origins)),
    branding: sql(JSON.stringify(branding)),
    persona: sql(DEMO_PERSONA),
    limits: sql(JSON.stringify(limits)),
    settings: sql(JSON.stringify(settings)),
    // Named here: the column defaults of 0001 are models that shut down on 2027-01-20 (see migration 0005).
    allowed_models: sql(JSON.stringify(['gpt-realtime-2.1', 'gpt-realtime-2.1-mini'])),
    default_model: sql('gpt-realtime-2.1'),
  };
  const cols = Object.keys(v);
  return `INSERT INTO tenants (${cols.join(', ')}) VALUES (${Object.values(v).join(', ')})
ON CONFLICT (id) DO UPDATE SET ${cols
    .filter((c) => c !== 'id')
    .map((c) => `${c} = excluded.${c}`)
    .join(', ')};\n`;
}

function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, {
    cwd: ROOT,
    stdio: opts.quiet ? 'pipe' : 'inherit',
    env: { ...process.env, ...QUIET_ENV, CI: 'true' },
  });
  if (res.status !== 0) {
    const out = opts.quiet ? `\n${res.stdout}\n${res.stderr}` : '';
    throw new Error(`${cmd} ${args.join(' ')} failed (${res.status})${out}`);
  }
}

/** Creates .dev.vars from the committed example when it is missing. */
export function ensureDevVars() {
  const target = join(ROOT, '.dev.vars');
  if (!existsSync(target)) {
    copyFileSync(join(ROOT, '.dev.vars.example'), target);
    console.log('Created .dev.vars from .dev.vars.example (sandbox mode: no provider keys).');
  }
}

export function buildWidget({ quiet = false } = {}) {
  run('npm', ['run', '--silent', 'build'], { quiet });
}

/** Applies the migrations to the local D1 (optionally in its own folder) and seeds the demo tenant. */
export function prepareDatabase({ port, persistTo, quiet = false }) {
  const persist = persistTo ? ['--persist-to', persistTo] : [];
  run(WRANGLER, ['d1', 'migrations', 'apply', 'voice-buddy', '--local', ...persist], { quiet });
  const seedFile = join(mkdtempSync(join(tmpdir(), 'vb-seed-')), 'seed.sql');
  writeFileSync(seedFile, demoTenantSql(port));
  run(WRANGLER, ['d1', 'execute', 'voice-buddy', '--local', ...persist, '--file', seedFile], { quiet });
}

/**
 * Starts `wrangler dev` and resolves once it answers. `vars` override .dev.vars (as --var), so tests can aim
 * provider base URLs at local fakes. Returns { url, pid, stop }.
 */
export async function startWrangler({ port, persistTo, vars = {}, quiet = false, envFile }) {
  warnAboutSecretVars();
  const args = [
    'dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--inspector-port',
    '0',
    '--show-interactive-dev-session=false',
  ];
  if (persistTo) args.push('--persist-to', persistTo);
  if (envFile) args.push('--env-file', envFile);
  for (const [k, v] of Object.entries(vars)) args.push('--var', `${k}:${v}`);
  const child = spawn(WRANGLER, args, {
    cwd: ROOT,
    env: { ...process.env, ...QUIET_ENV },
    stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit',
  });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 5000).unref();
    });
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited (${child.exitCode}):\n${output.slice(-4000)}`);
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok) return { url, pid: child.pid, child, stop, output: () => output };
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  await stop();
  throw new Error(`wrangler dev did not answer within 90 s:\n${output.slice(-4000)}`);
}
