// npm test: type-check, lint, build, a dry-run deploy of both environments (offline), Worker tests (workerd), widget
// tests (headless Chromium), end-to-end tests (Chromium against wrangler dev) and the keyword evaluation. Every step
// runs; the summary line counts them.
import { spawn } from 'node:child_process';
import { ensureChromium } from './chromium.mjs';

process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false';
process.env.WRANGLER_SEND_METRICS = 'false';
process.env.CHROME_PATH = ensureChromium();

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
].filter(([name]) => only.length === 0 || only.includes(name));

/** Lines that name a failure, with a few lines after each: repeated in the summary, which is what a CI log keeps. */
const FAILURE = /❌|✖|^\s*not ok |\bFAIL\b|AssertionError|Error:|Out of date|first difference/;
function failureLines(output, max = 60) {
  // eslint-disable-next-line no-control-regex -- progress bars and colours
  const lines = output.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').split('\n');
  const picked = new Set();
  lines.forEach((line, i) => {
    if (FAILURE.test(line)) for (let j = i; j < Math.min(lines.length, i + 4); j++) picked.add(j);
  });
  const out = [...picked].sort((a, b) => a - b).map((i) => lines[i].slice(0, 200));
  return out.length > max ? [...out.slice(0, max), `... ${out.length - max} more lines`] : out;
}

function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['inherit', 'pipe', 'pipe'] });
    let output = '';
    for (const [from, to] of [
      [child.stdout, process.stdout],
      [child.stderr, process.stderr],
    ]) {
      from.on('data', (chunk) => {
        to.write(chunk);
        output = (output + chunk.toString('utf8')).slice(-2_000_000);
      });
    }
    child.on('close', (status) => resolve({ status, output }));
  });
}

const results = [];
for (const [name, cmd, args] of steps) {
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const started = Date.now();
  const { status, output } = await run(cmd, args);
  results.push({ name, ok: status === 0, seconds: ((Date.now() - started) / 1000).toFixed(1), output });
}
for (const r of results.filter((r) => !r.ok)) {
  console.log(`\n=== what failed in ${r.name}`);
  for (const line of failureLines(r.output)) console.log(`  ${line}`);
}
console.log('\n=== summary');
for (const r of results) console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name} (${r.seconds} s)`);
const failed = results.filter((r) => !r.ok).length;
console.log(`steps: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
