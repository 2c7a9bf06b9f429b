// Shared by the end-to-end tests: a `wrangler dev` of our own on a free port with its own local state, and a
// headless Chromium with fake media devices. Everything started here is stopped here, by PID.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { buildWidget, prepareDatabase, ROOT, startWrangler } from '../../demo/local.mjs';
import { CHROMIUM_ARGS, findChromium } from '../chromium.mjs';

export const ADMIN_TOKEN = 'e2e-admin-token';

/** What every test Worker runs with: our admin token and empty provider keys (sandbox, whatever .dev.vars says). */
export const SANDBOX_VARS = {
  ADMIN_TOKEN,
  OPENAI_API_KEY: '',
  AKOOL_API_KEY: '',
  ELEVENLABS_API_KEY: '',
  TICKET_SECRET: 'e2e-ticket-secret',
};

/** fetch() to a test Worker's admin API with the admin token. */
export const adminFetch =
  (url) =>
  (path, init = {}) =>
    fetch(`${url}${path}`, {
      ...init,
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json', ...init.headers },
    });

export const freePort = () =>
  new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });

/**
 * A Worker on its own port and local D1/Durable Objects, serving the built widget and demo. `prepare(persistTo)` runs
 * before it starts, on its local storage (e.g. to publish a release into its R2).
 */
export async function startWorker(vars = {}, { prepare } = {}) {
  if (!existsSync(join(ROOT, 'dist/voice-buddy.iife.js'))) buildWidget({ quiet: true });
  const port = await freePort();
  const persistTo = mkdtempSync(join(tmpdir(), 'vb-e2e-'));
  prepareDatabase({ port, persistTo, quiet: true });
  prepare?.(persistTo);
  const server = await startWrangler({ port, persistTo, quiet: true, vars: { ...SANDBOX_VARS, ...vars } });
  return {
    ...server,
    port,
    origin: `http://127.0.0.1:${port}`,
    admin: adminFetch(server.url),
    async dispose() {
      await server.stop();
      rmSync(persistTo, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  return puppeteer.launch({
    executablePath: findChromium(),
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/** Waits for a condition evaluated in the page, with a useful message. */
export async function until(page, fn, arg, message, timeout = 15_000) {
  try {
    await page.waitForFunction(fn, { timeout, polling: 50 }, arg);
  } catch (e) {
    throw new Error(`${message}: ${e.message}`, { cause: e });
  }
}

/** Every file of the built widget, relative to dist/: loaders, chunks, and their pinned copies under v/. */
export function widgetFiles() {
  const dist = join(ROOT, 'dist');
  const walk = (dir) =>
    readdirSync(join(dist, dir), { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
    );
  return ['voice-buddy.iife.js', 'voice-buddy.js', ...walk('chunks'), ...walk('v')];
}

/**
 * A partner's page on its own port (another origin than the Worker), with the README's two lines and a tenant that
 * allows it. Query: `variant`, `placement` (attributes of the element), `coep=1` (the page is cross-origin isolated:
 * COOP same-origin and COEP require-corp, so every file it embeds must carry CORP or CORS).
 */
export async function startPartnerSite(worker, { id, key, branding = {}, settings, attributes = '' }) {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const server = createHttpServer((req, res) => {
    const url = new URL(req.url, origin);
    const attrs = ['variant', 'placement']
      .filter((a) => url.searchParams.has(a))
      .map((a) => `${a}="${url.searchParams.get(a)}"`);
    // `src`: another path of the script on the Worker (a pinned version); `integrity`: its SRI hash.
    const src = `${worker.url}${url.searchParams.get('src') ?? '/voice-buddy.iife.js'}`;
    const sri = url.searchParams.get('integrity');
    const script = sri
      ? `<script src="${src}" integrity="${sri}" crossorigin="anonymous" async></script>`
      : `<script src="${src}" async></script>`;
    const headers = { 'Content-Type': 'text/html; charset=utf-8' };
    if (url.searchParams.get('coep') === '1')
      Object.assign(headers, {
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Cross-Origin-Embedder-Policy': 'require-corp',
      });
    res.writeHead(200, headers);
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Partner store</title></head><body><h1>Partner store</h1><p>Our products.</p>
${script}
<voice-buddy key="${key}" ${[attributes, ...attrs].join(' ')}></voice-buddy>
</body></html>`);
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  const created = await worker.admin('/admin/tenants', {
    method: 'POST',
    body: JSON.stringify({
      id,
      name: branding.name ?? id,
      publishableKey: key,
      allowedOrigins: [origin],
      branding,
      ...(settings ? { settings } : {}),
    }),
  });
  if (created.status !== 201) throw new Error(`partner tenant: ${created.status} ${await created.text()}`);
  // Chromium keeps connections to the page open (keep-alive, preconnects): close() alone waited for them for minutes.
  const close = () =>
    new Promise((resolve) => {
      server.close(resolve);
      server.closeAllConnections();
    });
  return { url: `${origin}/`, origin, close };
}

/**
 * What a page showed that a clean run must not: console errors, uncaught errors, failed or refused requests and
 * `voice-buddy-error` events. `loaded` lists the URLs fetched successfully.
 */
export function watch(page) {
  const consoleErrors = [];
  const failed = [];
  const loaded = [];
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  page.on('pageerror', (e) => consoleErrors.push(`uncaught: ${e.message}`));
  page.on('requestfailed', (r) => {
    const error = r.failure()?.errorText;
    // The widget closes a generation's event stream after its `done`: the browser reports that as aborted.
    if (r.resourceType() === 'eventsource' && error === 'net::ERR_ABORTED') return;
    failed.push(`${r.url()}: ${error}`);
  });
  page.on('response', (r) =>
    r.status() >= 400 ? failed.push(`${r.url()}: HTTP ${r.status()}`) : loaded.push(r.url()),
  );
  void page.evaluateOnNewDocument(() => {
    window.__vbErrors = [];
    document.addEventListener('voice-buddy-error', (e) => window.__vbErrors.push(e.detail));
  });
  return {
    loaded,
    /** Files the browser would not load from `origin` (a CORS or CORP refusal, a failed request to it). */
    blocked: (origin) => [
      ...consoleErrors.filter((t) => /CORS policy|Cross-Origin-Resource-Policy|ERR_BLOCKED_BY/i.test(t)),
      ...failed.filter((f) => f.startsWith(`${origin}/`)),
    ],
    async problems() {
      const events = await page.evaluate(() => window.__vbErrors ?? []).catch(() => []);
      return [...consoleErrors, ...failed, ...events.map((d) => `voice-buddy-error ${d.code}: ${d.message}`)];
    },
  };
}
