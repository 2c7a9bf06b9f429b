// Screenshots of the admin console's Analytics, Daily report and Alerts sections, for a person to look at:
// `npm run build`, then `node test/shots/console.mjs [outDir] [--parts]`. The built console (dist/admin/console.js)
// runs on a local page against the fake admin API (test/shots/console-data.ts, bundled here) in headless Chromium, at a
// laptop's 1280x800 and a phone's 390x844. Not a test: nothing is compared, the pictures are for reviewing design.
import { createServer } from 'node:http';
import { mkdirSync, readFileSync } from 'node:fs';
import { build } from 'esbuild';
import puppeteer from 'puppeteer-core';
import { findChromium } from '../chromium.mjs';

const root = new URL('../..', import.meta.url).pathname;
const out = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? `${root}test/shots/out`;
/** `--parts`: the long pages also cut into screens. */
const parts = process.argv.includes('--parts');
mkdirSync(out, { recursive: true });

const fake = await build({
  entryPoints: [`${root}test/shots/console-data.ts`],
  bundle: true,
  format: 'esm',
  target: 'es2022',
  write: false,
  logLevel: 'error',
  define: { 'process.env.NODE_ENV': '"production"' },
});
const page = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>voice-buddy admin</title>
<script type="module" src="/fake.js"></script><script type="module" src="/admin/console.js"></script>
</head><body><vb-admin-app></vb-admin-app></body></html>`;
// The Worker's own policy for the console (worker/index.ts): a chart library that wrote inline styles would show.
const CSP = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
const server = createServer((req, res) => {
  const js = { 'Content-Type': 'text/javascript' };
  if (req.url.startsWith('/fake.js')) return res.writeHead(200, js).end(fake.outputFiles[0].text);
  if (req.url.startsWith('/admin/console.js')) {
    return res.writeHead(200, js).end(readFileSync(`${root}dist/admin/console.js`));
  }
  res.writeHead(200, { 'Content-Type': 'text/html', 'Content-Security-Policy': CSP }).end(page);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}/admin`;

/** A DOM click: on a page as long as the analytics a pointer click at an element's box can land elsewhere. */
const press = async (tab, selector) => (await tab.waitForSelector(selector)).evaluate((b) => b.click());

const browser = await puppeteer.launch({ executablePath: findChromium(), args: ['--no-sandbox', '--headless=new'] });
const errors = [];
try {
  for (const [name, width, height] of [
    ['desktop', 1280, 800],
    ['phone', 390, 844],
  ]) {
    const tab = await browser.newPage();
    tab.on('pageerror', (e) => errors.push(`${name}: ${e.message}`));
    tab.on('console', (m) => m.type() === 'error' && errors.push(`${name}: ${m.text()}`));
    await tab.setViewport({ width, height, deviceScaleFactor: 1 });
    await tab.goto(url);
    const sections = [
      ['analytics', 'vb-admin-chart'],
      ['report', '[data-feature]'],
      ['alerts', '[data-alert]'],
    ];
    for (const [tab_, ready] of sections) {
      await press(tab, `vb-admin-app >>> #tab-${tab_}`);
      await tab.waitForSelector(`vb-admin-app >>> #panel-${tab_} >>> ${ready}`);
      // What a reviewer also needs to see opened: the first chart's data table, the report's markdown.
      if (tab_ === 'analytics') await press(tab, 'vb-admin-app >>> vb-admin-chart >>> summary');
      if (tab_ === 'report') {
        await press(tab, 'vb-admin-app >>> vb-admin-report >>> button[aria-controls="report-md-body"]');
        await tab.waitForSelector('vb-admin-app >>> vb-admin-report >>> #report-md');
      }
      // Charts draw after their element renders; give the canvases a frame or two.
      await new Promise((r) => setTimeout(r, 400));
      await tab.screenshot({ path: `${out}/console-${tab_}-${name}.png`, fullPage: true });
      console.log(`${out}/console-${tab_}-${name}.png`);
      // A long page also as screens one after the other, each readable at its real size.
      const full = await tab.evaluate(() => document.documentElement.scrollHeight);
      for (let i = 0, y = 0; parts && y < full; i++, y += height) {
        const clip = { x: 0, y, width, height: Math.min(height, full - y) };
        const path = `${out}/console-${tab_}-${name}-${i + 1}.png`;
        await tab.screenshot({ path, clip, captureBeyondViewport: true });
      }
    }
    // The states that must look finished too: nothing yet, waiting, unreachable.
    for (const state of ['empty', 'loading', 'offline']) {
      await tab.goto(`${url}?state=${state}`);
      // The offline page signs in first and loses the network 300 ms later (console-data.ts): ask after that.
      if (state === 'offline') await new Promise((r) => setTimeout(r, 500));
      for (const tab_ of ['analytics', 'alerts']) {
        await press(tab, `vb-admin-app >>> #tab-${tab_}`);
        const ready = { empty: '[data-empty]', loading: '.skeleton', offline: '[role="alert"]' }[state];
        await tab.waitForSelector(`vb-admin-app >>> #panel-${tab_} >>> ${ready}`);
        await tab.screenshot({ path: `${out}/console-${tab_}-${state}-${name}.png` });
        console.log(`${out}/console-${tab_}-${state}-${name}.png`);
      }
    }
    await tab.close();
  }
} finally {
  await browser.close();
  server.close();
}
if (errors.length) {
  console.error(errors.join('\n'));
  process.exit(1);
}
