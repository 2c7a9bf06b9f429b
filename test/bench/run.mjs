// npm run bench [-- SECTION ...]: prints the speed and size figures of issues 2-7, 15 and 16, one section each, then a
// summary. Figures are printed, never asserted: a slow machine never fails this. It exits non-zero only when the
// harness itself breaks (a section could not measure, or cleanup failed). Everything it starts is stopped by PID at the
// end.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildWidget } from '../../demo/local.mjs';
import { ensureChromium } from '../chromium.mjs';
import { printSummary, section, summaryRow } from './report.mjs';
import { createContext, ROOT, withTimeout } from './support.mjs';
import * as analytics from './analytics.mjs';
import * as avatar from './avatar.mjs';
import * as bundle from './deploy.mjs';
import * as calls from './calls.mjs';
import * as flags from './flags.mjs';
import * as keywords from './keywords.mjs';
import * as relay from './relay.mjs';
import * as speech from './speech.mjs';
import * as widget from './widget.mjs';
import * as worker from './worker.mjs';

process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false';
process.env.WRANGLER_SEND_METRICS = 'false';

// Each section's time budget; together well under the 6 minutes the suite is meant to take on 2 cores.
const SECTIONS = {
  worker: { module: worker, budgetMs: 120_000, browser: false },
  widget: { module: widget, budgetMs: 150_000, browser: true, dist: true },
  relay: { module: relay, budgetMs: 150_000, browser: true },
  keywords: { module: keywords, budgetMs: 120_000, browser: true },
  flags: { module: flags, budgetMs: 120_000, browser: false },
  avatar: { module: avatar, budgetMs: 180_000, browser: true, dist: true },
  bundle: { module: bundle, budgetMs: 60_000, browser: false, dist: true },
  calls: { module: calls, budgetMs: 150_000, browser: true, dist: true },
  speech: { module: speech, budgetMs: 120_000, browser: false },
  analytics: { module: analytics, budgetMs: 120_000, browser: false },
};

const asked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = asked.filter((a) => !(a in SECTIONS));
if (unknown.length) {
  console.error(`Unknown section(s): ${unknown.join(', ')}. Sections: ${Object.keys(SECTIONS).join(', ')}`);
  process.exit(2);
}
const selected = asked.length ? Object.keys(SECTIONS).filter((s) => asked.includes(s)) : Object.keys(SECTIONS);

/** Newest modification time under `dir` (recursively), test files left out. */
function newest(path) {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return path.endsWith('.test.ts') ? 0 : st.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

/** Rebuilds dist/ when it is missing or older than the widget sources. */
function ensureDist() {
  const outputs = ['dist/voice-buddy.js', 'dist/voice-buddy.iife.js'].map(
    (f) => statSync(join(ROOT, f), { throwIfNoEntry: false })?.mtimeMs ?? 0,
  );
  const built = Math.min(...outputs);
  const sources = Math.max(
    newest(join(ROOT, 'widget')),
    newest(join(ROOT, 'vite.config.ts')),
    newest(join(ROOT, 'demo/site')),
  );
  if (built && built >= sources) return;
  console.log(
    built
      ? 'dist/ is older than the widget sources: rebuilding (npm run build)...'
      : 'dist/ is missing: building (npm run build)...',
  );
  const started = Date.now();
  try {
    buildWidget({ quiet: true });
    console.log(`  built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } catch (e) {
    console.log(
      `  the build failed; sizes below are of the dist/ that is there (if any):\n${e.message.slice(0, 2000)}`,
    );
  }
}

const ctx = createContext();
let harnessProblems = 0;
process.on('unhandledRejection', (e) => {
  harnessProblems++;
  console.error(`  [harness] unhandled rejection: ${e?.stack ?? e}`);
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    console.error(`\n${signal}: stopping everything the bench started...`);
    await ctx.dispose();
    process.exit(130);
  });
}

const started = Date.now();
console.log(
  `voice-buddy benchmarks: ${selected.join(', ')} (Node ${process.version}, ${(await import('node:os')).cpus().length} cores)`,
);
console.log('Figures are printed, never asserted; targets are from the issues. KB = 1,024 bytes.');
if (selected.some((s) => SECTIONS[s].browser)) process.env.CHROME_PATH = ensureChromium();
if (selected.some((s) => SECTIONS[s].dist)) ensureDist();

const summary = [];
const failed = [];
for (const name of selected) {
  const { module, budgetMs } = SECTIONS[name];
  section(module.title);
  const t0 = Date.now();
  try {
    const rows = await withTimeout(module.run(ctx), budgetMs, `section ${name}`);
    summary.push(...rows);
  } catch (e) {
    failed.push(name);
    console.error(`\n  Section "${name}" could not finish: ${e?.stack ?? e}`);
    summary.push(summaryRow(name, 'section failed (see above)', 'error'));
  }
  console.log(`\n  (${name}: ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}

await ctx.dispose();
printSummary(summary);
console.log(
  `\nTotal ${((Date.now() - started) / 1000).toFixed(1)} s.${failed.length ? ` Sections that could not measure: ${failed.join(', ')}.` : ''}`,
);
process.exit(failed.length || harnessProblems ? 1 : 0);
