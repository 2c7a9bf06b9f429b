// npm run deploy -- <staging|production> [--dry-run] [--skip-build]
// Checks wrangler.toml (no secret among the vars, every binding repeated in the environment, a real D1 id), builds
// the widget, applies new D1 migrations to the environment's remote database, checks that its required secrets are
// set, publishes the widget release to the environment's R2 bucket, then runs `wrangler deploy --env <env>`.
// With --dry-run nothing leaves the machine: the bundle is built into a temporary folder and its size printed (any
// number of environments; `npm test` dry-runs both). Steps: README, "Deploy to Cloudflare".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { checkConfig, CONFIG, ENVIRONMENTS, readRawConfig, ROOT, SECRETS } from './config-check.mjs';
import { publishRelease, releaseBucket } from './publish-release.mjs';

const WRANGLER = join(ROOT, 'node_modules/.bin/wrangler');
const QUIET_ENV = { ...process.env, WRANGLER_SEND_METRICS: 'false' };

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'dry-run': { type: 'boolean', default: false },
    'skip-build': { type: 'boolean', default: false },
    config: { type: 'string', default: CONFIG },
    env: { type: 'string', multiple: true, default: [] },
  },
});
const envs = [...values.env, ...positionals];
const dryRun = values['dry-run'];

function fail(message) {
  console.error(`\nnpm run deploy: ${message}`);
  process.exit(1);
}

if (envs.length === 0)
  fail(`name the environment: npm run deploy -- ${ENVIRONMENTS.join(' | ')} (add --dry-run to only build it)`);
if (envs.length > 1 && !dryRun) fail('deploy one environment at a time (several are fine with --dry-run)');

const raw = readRawConfig(values.config);
for (const env of envs) {
  const { errors, placeholders } = checkConfig(raw, env);
  const blocking = dryRun ? errors : [...errors, ...placeholders];
  if (blocking.length) fail(`wrangler.toml is not ready for ${env}:\n${blocking.map((e) => `  - ${e}`).join('\n')}`);
  for (const note of dryRun ? placeholders : []) console.log(`note (${env}, dry run): ${note}`);
}

function run(cmd, args, { capture = false } = {}) {
  console.log(`\n$ ${[cmd, ...args].map((a) => (a.startsWith(ROOT) ? relative(ROOT, a) || '.' : a)).join(' ')}`);
  const res = spawnSync(cmd, args, {
    cwd: ROOT,
    env: QUIET_ENV,
    stdio: capture ? ['inherit', 'pipe', 'pipe'] : 'inherit',
    encoding: 'utf8',
  });
  if (capture) process.stdout.write(res.stdout + res.stderr);
  return { ok: res.status === 0, output: capture ? res.stdout + res.stderr : '' };
}

// --skip-build (npm test has just built) still builds when there is nothing built: wrangler needs dist/ for the assets.
const built = existsSync(join(ROOT, 'dist/voice-buddy.iife.js'));
if ((!values['skip-build'] || !built) && !run('npm', ['run', '--silent', 'build']).ok) fail('the build failed');

const config = ['--config', values.config];
if (dryRun) {
  for (const env of envs) {
    const outdir = mkdtempSync(join(tmpdir(), `vb-deploy-${env}-`));
    try {
      const { ok, output } = run(WRANGLER, ['deploy', '--dry-run', '--env', env, '--outdir', outdir, ...config], {
        capture: true,
      });
      if (!ok) fail(`the dry-run deploy of ${env} failed (above)`);
      // A binding Wrangler does not inherit and the check above does not know yet: it says so itself.
      if (/is not inherited by environments/.test(output))
        fail(`wrangler.toml: [env.${env}] lacks a binding the top level has (wrangler's warning above)`);
      const size = /Total Upload: ([\d.]+ KiB) \/ gzip: ([\d.]+ KiB)/.exec(output);
      console.log(
        `dry run ${env}: bundle ${size ? `${size[1]}, gzip ${size[2]}` : '(size not printed)'}; nothing was uploaded`,
      );
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }
  process.exit(0);
}

const [env] = envs;
// Schema first: the new code may need it, and the old code keeps working with added columns and tables.
if (!run(WRANGLER, ['d1', 'migrations', 'apply', 'DB', '--remote', '--env', env, ...config]).ok)
  fail(`applying the D1 migrations to ${env} failed`);

const listed = run(WRANGLER, ['secret', 'list', '--env', env, '--format', 'json', ...config], { capture: true });
const required = SECRETS.filter((s) => s.required).map((s) => s.name);
if (listed.ok) {
  let names = [];
  try {
    names = JSON.parse(listed.output.slice(listed.output.indexOf('['))).map((s) => s.name);
  } catch {
    /* an older wrangler printing something else: checked after the deploy by npm run smoke */
  }
  const missing = required.filter((name) => !names.includes(name));
  if (missing.length) {
    fail(
      `${env} lacks required secrets: ${missing.join(', ')}. Set each with \`npx wrangler secret put NAME --env ${env}\` (README, "Deploy to Cloudflare").`,
    );
  }
} else {
  console.log(
    `\nCould not list the secrets of ${env} (a first deploy has none yet). After it, set ${required.join(' and ')} with \`npx wrangler secret put NAME --env ${env}\`.`,
  );
}

// Every release stays in the environment's R2 bucket, so pages pinned to an older /v/<version>/ keep loading after
// this deploy replaces the static assets with the new one.
try {
  console.log(`\nPublishing the widget release to R2 (${releaseBucket(env)})...`);
  publishRelease({ remote: true, env });
} catch (e) {
  fail(
    `publishing the widget release failed (does the bucket exist? \`npx wrangler r2 bucket create ${releaseBucket(env)}\`):\n${e.message}`,
  );
}

if (!run(WRANGLER, ['deploy', '--env', env, ...config]).ok) fail(`wrangler deploy --env ${env} failed`);
console.log(
  `\nDeployed ${env}. Check it: ADMIN_TOKEN=... npm run smoke -- https://<the URL above> --key <a tenant's pk_...> --origin <one of its origins>`,
);
