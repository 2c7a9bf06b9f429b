// From a clone to production, as far as a machine without Cloudflare goes: the configuration checks that guard a
// deploy, `npm run tenant` and `npm run smoke` against a real `wrangler dev`, and the README's tenant-side webhook
// code (copied from the README itself) rendering through that Worker.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  CONFIG,
  missingInEnvironment,
  readRawConfig,
  secretsInVars,
  warnAboutSecretVars,
} from '../../demo/config-check.mjs';
import { releaseBucket } from '../../demo/publish-release.mjs';
import { ADMIN_TOKEN, startWorker } from './support.mjs';

const ROOT = new URL('../../', import.meta.url).pathname;

/** Runs one of our npm scripts' files as `npm run <name> -- ...` would, with its own environment. */
function runScript(file, args, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, file), ...args], {
      cwd: ROOT,
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('deploy configuration checks', () => {
  let dir;
  let config;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'vb-deploy-test-'));
    config = join(dir, 'wrangler.toml');
    // The committed configuration with two mistakes: one of our secrets, and a new one named like a secret.
    const text = readFileSync(CONFIG, 'utf8')
      .replace('[vars]\n', '[vars]\nADMIN_TOKEN = "plain-text-admin-token"\n')
      .replace('[env.production.vars]\n', '[env.production.vars]\nSTRIPE_SECRET_KEY = "sk_live_plain"\n');
    writeFileSync(config, text);
    // The committed configuration with staging's R2 binding left out: Wrangler would not inherit it.
    const staging = readFileSync(CONFIG, 'utf8').replace(/\[\[env\.staging\.r2_buckets\]\][^[]*/, '');
    assert.doesNotMatch(staging, /env\.staging\.r2_buckets/);
    writeFileSync(join(dir, 'no-r2.toml'), staging);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every secret out of the committed vars, and repeats every binding in each environment', () => {
    const raw = readRawConfig();
    assert.deepEqual(Object.keys(raw.env).sort(), ['production', 'staging']);
    assert.deepEqual(secretsInVars(raw), []);
    for (const env of ['staging', 'production']) {
      assert.deepEqual(missingInEnvironment(raw, env), [], env);
      assert.equal(raw.env[env].d1_databases[0].database_name, `voice-buddy-${env}`);
      // Each environment its own releases: staging must never replace what production serves under /v/<major>/.
      assert.equal(releaseBucket(env), `voice-buddy-widget-${env}`);
    }
    assert.equal(releaseBucket(), 'voice-buddy-widget');
  });

  it('finds a secret among the vars of any environment and warns at start-up', () => {
    assert.deepEqual(secretsInVars(readRawConfig(config)), [
      { scope: '[vars]', name: 'ADMIN_TOKEN' },
      { scope: '[env.production.vars]', name: 'STRIPE_SECRET_KEY' },
    ]);
    const lines = [];
    warnAboutSecretVars(config, (line) => lines.push(line));
    assert.equal(lines.length, 2);
    assert.match(
      lines[0],
      /^WARNING: ADMIN_TOKEN is set in \[vars\] of wrangler\.toml.*\.dev\.vars.*wrangler secret put ADMIN_TOKEN/,
    );
    assert.match(lines[1], /STRIPE_SECRET_KEY is set in \[env\.production\.vars\]/);
    assert.doesNotMatch(lines.join('\n'), /plain-text-admin-token|sk_live_plain/);
  });

  it('npm run deploy refuses such a configuration, a placeholder database, and a missing environment', async () => {
    const [secret, placeholder, none, unknown, noR2] = await Promise.all([
      runScript('demo/deploy.mjs', ['--dry-run', '--skip-build', '--config', config, 'staging']),
      runScript('demo/deploy.mjs', ['--skip-build', 'production']),
      runScript('demo/deploy.mjs', []),
      runScript('demo/deploy.mjs', ['--dry-run', '--skip-build', 'qa']),
      runScript('demo/deploy.mjs', [
        '--dry-run',
        '--skip-build',
        '--config',
        join(dir, 'no-r2.toml'),
        'staging',
        'production',
      ]),
    ]);
    assert.equal(noR2.code, 1);
    assert.match(
      noR2.stderr,
      /not ready for staging:\n {2}- r2_buckets WIDGET_RELEASES is set at the top level of wrangler\.toml but not in \[env\.staging\]/,
    );
    assert.equal(secret.code, 1);
    assert.match(secret.stderr, /ADMIN_TOKEN is set in \[vars\].*npx wrangler secret put ADMIN_TOKEN --env staging/);
    assert.match(secret.stderr, /STRIPE_SECRET_KEY is set in \[env\.production\.vars\]/);
    assert.doesNotMatch(secret.stdout + secret.stderr, /plain-text-admin-token|sk_live_plain|Total Upload/);

    assert.equal(placeholder.code, 1);
    assert.match(
      placeholder.stderr,
      /\[\[env\.production\.d1_databases\]\] DB has no database id yet: run `npx wrangler d1 create voice-buddy-production`/,
    );

    assert.equal(none.code, 1);
    assert.match(none.stderr, /npm run deploy -- staging \| production/);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no \[env\.qa\]/);
  });
});

describe('a local Worker, set up and checked with the deploy tools', { timeout: 240_000 }, () => {
  let worker;
  before(async () => {
    worker = await startWorker();
  });
  after(async () => {
    await worker?.dispose();
  });

  it('npm run tenant creates a site that npm run smoke then passes, admin token included', async () => {
    const created = await runScript(
      'demo/tenant.mjs',
      ['create', 'smoke-shop', '--url', worker.url, '--name', 'Smoke Shop', '--origin', 'https://shop.smoke.example'],
      { ADMIN_TOKEN },
    );
    assert.equal(created.code, 0, created.stderr);
    const key = /publishable key: (pk_\w+)/.exec(created.stdout)?.[1];
    assert.ok(key, created.stdout);
    assert.match(created.stdout, new RegExp(`<voice-buddy key="${key}"></voice-buddy>`));
    const again = await runScript(
      'demo/tenant.mjs',
      ['create', 'smoke-shop', '--url', worker.url, '--name', 'Smoke Shop'],
      { ADMIN_TOKEN },
    );
    assert.equal(again.code, 1);
    assert.match(again.stderr, /409 conflict/);
    const noToken = await runScript('demo/tenant.mjs', ['list', '--url', worker.url], { ADMIN_TOKEN: '' });
    assert.match(noToken.stderr, /set ADMIN_TOKEN/);

    const smoke = await runScript(
      'demo/smoke.mjs',
      [worker.url, '--key', key, '--origin', 'https://shop.smoke.example', '--json'],
      { ADMIN_TOKEN },
    );
    assert.equal(smoke.code, 0, smoke.stdout + smoke.stderr);
    const report = JSON.parse(smoke.stdout);
    assert.deepEqual(
      report.results.map((r) => [r.check, r.status]),
      [
        ['health', 'ok'],
        ['widget script', 'ok'],
        ['bootstrap', 'ok'],
        ['origin check', 'ok'],
        ['relay text turn', 'ok'],
        ['admin', 'ok'],
        ['providers', 'info'],
      ],
    );
    assert.match(
      report.results.find((r) => r.check === 'relay text turn').detail,
      /text mode \(sandbox\).*"Nice idea: a fine-line rose/,
    );
    assert.match(report.results.find((r) => r.check === 'admin').detail, /ADMIN_TOKEN accepted/);

    // The printed report, as a person reads it; and a wrong token is a failure.
    const text = await runScript('demo/smoke.mjs', [worker.url, '--no-turn'], { ADMIN_TOKEN: 'not-the-token' });
    assert.equal(text.code, 1);
    assert.match(
      text.stdout,
      /^voice-buddy smoke test: http:\/\/127\.0\.0\.1:\d+ \(key pk_demo, origin http:\/\/127\.0\.0\.1:\d+\)$/m,
    );
    assert.match(text.stdout, /^ {2}fail {2}admin .*got 401 unauthorized$/m);
    assert.match(text.stdout, /^ {2}skip {2}relay text turn +--no-turn$/m);
  });

  it("the README's tenant-side webhook code renders concepts through the Worker, each report applied once", async () => {
    // The code block of README "Webhook signing", run as the tenant's service would run it.
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const block =
      /<!-- tenant-webhook-example:start -->\n```js\n([\s\S]*?)```\n<!-- tenant-webhook-example:end -->/.exec(
        readme,
      )?.[1];
    assert.ok(block, 'the README has the tenant webhook example between its markers');
    const dir = mkdtempSync(join(tmpdir(), 'vb-tenant-code-'));
    writeFileSync(join(dir, 'tenant.mjs'), block);
    const { verifyVoiceBuddy, report } = await import(pathToFileURL(join(dir, 'tenant.mjs')).href);
    rmSync(dir, { recursive: true, force: true });

    const secret = 'whsec_readme_example_0123456789';
    const answers = [];
    let jobs = 0;
    const service = createServer(async (req, res) => {
      const chunks = [];
      for await (const chunk of req) chunks.push(chunk);
      const raw = Buffer.concat(chunks).toString('utf8');
      if (!verifyVoiceBuddy(secret, raw, req.headers)) {
        res.writeHead(401).end();
        return;
      }
      jobs++;
      res.writeHead(202).end();
      const job = JSON.parse(raw);
      const progress = { type: 'progress', percent: 50, stage: 'inking' };
      answers.push(await report(secret, job, progress, 'progress-1'));
      answers.push(await report(secret, job, progress, 'progress-1')); // a retry after a lost answer
      answers.push(
        await report(secret, job, {
          type: 'concept',
          index: 0,
          imageUrl: 'https://cdn.tenant.example/readme/0.png',
          alt: 'A rose',
        }),
      );
      answers.push(await report(secret, job, { type: 'done' }));
    });
    await new Promise((resolve) => service.listen(0, '127.0.0.1', resolve));
    try {
      const origin = 'https://webhook.smoke.example';
      const create = await worker.admin('/admin/tenants', {
        method: 'POST',
        body: JSON.stringify({
          id: 'readme-webhook',
          name: 'README webhook',
          allowedOrigins: [origin],
          settings: {
            handoff: {
              target: 'webhook',
              webhookUrl: `http://127.0.0.1:${service.address().port}/render`,
              webhookSecret: secret,
            },
          },
        }),
      });
      assert.equal(create.status, 201, await create.clone().text());
      const { tenant } = await create.json();
      const headers = { 'X-Voice-Buddy-Key': tenant.publishableKey, Origin: origin };
      const handoff = await fetch(`${worker.url}/v1/handoff`, {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: JSON.stringify({ keywords: { subject: ['rose'], style: ['fine-line'] } }),
      });
      assert.equal(handoff.status, 202, await handoff.clone().text());
      const { eventsUrl } = await handoff.json();
      const events = await fetch(eventsUrl, { headers: { Origin: origin } }); // the test's own timeout bounds the read
      let text = '';
      for await (const chunk of events.body) {
        text += Buffer.from(chunk).toString('utf8');
        if (/event: (done|error)/.test(text)) break;
      }
      const names = [...text.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
      assert.deepEqual(names, ['queued', 'progress', 'progress', 'concept', 'done']);
      assert.match(text, /"imageUrl":"https:\/\/cdn\.tenant\.example\/readme\/0\.png"/);
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(jobs, 1);
      assert.deepEqual(answers, [
        { ok: true, seq: 3 },
        { ok: true, seq: 3, duplicate: true },
        { ok: true, seq: 4 },
        { ok: true, seq: 5 },
      ]);
    } finally {
      await new Promise((resolve) => service.close(resolve));
    }
  });
});
