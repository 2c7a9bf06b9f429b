// npm test: type-check, lint, build, a dry-run deploy of both environments (offline), Worker tests (workerd), widget
// tests (headless Chromium), end-to-end tests (Chromium against wrangler dev) and the keyword evaluation. Every step
// runs; the summary line counts them.
import { spawnSync } from 'node:child_process';
import { ensureChromium } from './chromium.mjs';

process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false';
process.env.WRANGLER_SEND_METRICS = 'false';
process.env.CHROME_PATH = ensureChromium();

// Steps join this list as their parts land.
const ENABLED = ["typecheck", "lint", "build", "deploy", "worker", "widget", "e2e", "keywords", "docs"];
const only = process.argv.slice(2);
const steps = [
  ['typecheck', 'npm', ['run', '--silent', 'typecheck']],
  ['lint', 'npm', ['run', '--silent', 'lint']],
  ['build', 'npm', ['run', '--silent', 'build']],
  // What `npm run deploy` would upload, bundled by wrangler itself into a temporary folder: a change that breaks
  // bundling (or a secret among the vars) fails here, with nothing sent anywhere.
  ['deploy', 'node', ['demo/deploy.mjs', '--dry-run', '--skip-build', 'staging', 'production']],
  ['worker', 'npm', ['run', '--silent', 'test:worker']],
  ['widget', 'npm', ['run', '--silent', 'test:widget']],
  ['e2e', 'node', ['--test', '--test-concurrency=1', 'test/e2e/']],
  ['keywords', 'npm', ['run', '--silent', 'eval:keywords']],
  ['docs', 'node', ['test/docs.mjs', '--check']],
].filter(([name]) => ENABLED.includes(name)).filter(([name]) => only.length === 0 || only.includes(name));

const results = [];
for (const [name, cmd, args] of steps) {
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const started = Date.now();
  const { status } = spawnSync(cmd, args, { stdio: 'inherit' });
  results.push({ name, ok: status === 0, seconds: ((Date.now() - started) / 1000).toFixed(1) });
}
console.log('\n=== summary');
for (const r of results) console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name} (${r.seconds} s)`);
const failed = results.filter((r) => !r.ok).length;
console.log(`steps: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
