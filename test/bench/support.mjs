// Shared by the benchmark sections: one context that starts what a section asks for (wrangler dev instances, the
// fake OpenAI server, Chromium, the page server) at most once, and stops all of it (by PID) at the end.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { unstable_getMiniflareWorkerOptions } from 'wrangler';
import { prepareDatabase, ROOT } from '../../demo/local.mjs';
import { adminFetch, freePort, launchBrowser, SANDBOX_VARS, startWorker } from '../e2e/support.mjs';
import { FAKE_ELEVENLABS_KEY, startFakeElevenLabs } from '../fakes/elevenlabs.js';
import { FAKE_OPENAI_KEY, startFakeOpenAI } from '../fakes/openai.js';
import { startPageServer } from './page-server.mjs';

export { ROOT };
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Rejects after `ms` with a message naming what took too long; the timer never keeps the process alive. */
export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${Math.round(ms / 1000)} s`)), ms);
    timer.unref?.();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The headers a page on the Worker's own origin sends with the demo tenant's key. */
export const tenantHeaders = (worker, extra = {}) => ({
  'X-Voice-Buddy-Key': 'pk_demo',
  Origin: worker.origin,
  ...extra,
});

/** Raises the demo tenant's request and relay caps, so the load itself does not hit 429 or close code 4003. */
export async function raiseDemoLimits(worker) {
  const res = await worker.admin('/admin/tenants/demo', {
    method: 'PUT',
    headers: { 'X-Admin-Actor': 'bench' },
    body: JSON.stringify({
      limits: {
        requestsPerMinute: 100_000,
        eventsPerSecond: 10_000,
        voiceSessionsPerMonth: 100_000,
        generationsPerMonth: 100_000,
        ttsCharactersPerMonth: 10_000_000,
      },
    }),
  });
  if (!res.ok) throw new Error(`raising the demo tenant's limits failed: ${res.status} ${await res.text()}`);
}

/**
 * Runs a command to completion (stdout captured, stderr passed through), bounded in time; kills it by PID on timeout.
 */
export function runCommand(cmd, args, { timeoutMs = 120_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
      reject(new Error(`${cmd} ${args.join(' ')} took longer than ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}\n${stderr.slice(-2000)}`));
    });
  });
}

/**
 * prepareDatabase() (demo/local.mjs) leaves its seed file in a vb-seed-* temp dir; the ones for our ports are ours
 * (the seed names the port in the tenant's origins), so they go too.
 */
function removeSeedDirs(ports) {
  for (const name of readdirSync(tmpdir()).filter((n) => n.startsWith('vb-seed-'))) {
    const dir = join(tmpdir(), name);
    try {
      const seed = readFileSync(join(dir, 'seed.sql'), 'utf8');
      if ([...ports].some((p) => seed.includes(`"http://127.0.0.1:${p}"`)))
        rmSync(dir, { recursive: true, force: true });
    } catch {
      /* not a seed dir we can read */
    }
  }
}

/**
 * The same Worker in workerd through Miniflare, without what only `wrangler dev` puts in front of it (its proxy
 * Worker and the static-assets router): the runtime path a request takes in production, minus Cloudflare's edge.
 * Bundled by esbuild the way wrangler bundles it; D1 migrated and seeded as for wrangler dev.
 */
async function startRuntimeWorker(vars, scratch) {
  const port = await freePort();
  const persistTo = join(scratch, 'state');
  prepareDatabase({ port, persistTo, quiet: true });
  const scriptPath = join(scratch, 'worker.mjs');
  await build({
    entryPoints: [join(ROOT, 'worker/index.ts')],
    outfile: scriptPath,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    external: ['cloudflare:*', 'node:*'],
    logLevel: 'error',
  });
  const { workerOptions } = unstable_getMiniflareWorkerOptions(join(ROOT, 'wrangler.toml'));
  delete workerOptions.assets;
  const mf = new Miniflare({
    ...workerOptions,
    modules: true,
    modulesRoot: scratch,
    scriptPath,
    bindings: { ...workerOptions.bindings, ...SANDBOX_VARS, ...vars },
    d1Persist: join(persistTo, 'v3/d1'),
    durableObjectsPersist: join(persistTo, 'v3/do'),
    host: '127.0.0.1',
    port,
  });
  await mf.ready;
  const url = `http://127.0.0.1:${port}`;
  return { url, port, origin: url, admin: adminFetch(url), dispose: () => mf.dispose() };
}

export function createContext() {
  const ports = new Set();
  const cleanups = [{ what: 'remove our seed files', fn: () => removeSeedDirs(ports) }];
  const memo = new Map();
  const once = (key, make) => {
    if (!memo.has(key)) memo.set(key, make());
    return memo.get(key);
  };
  const defer = (what, fn) => cleanups.push({ what, fn });

  const ctx = {
    defer,

    /** A port a Worker of ours listens on (for the seed-file cleanup). */
    ownPort: (port) => ports.add(port),

    /** A temporary directory removed at the end. */
    tempDir(prefix) {
      const dir = mkdtempSync(join(tmpdir(), `vb-bench-${prefix}-`));
      defer(`remove ${dir}`, () => rmSync(dir, { recursive: true, force: true }));
      return dir;
    },

    /** Bundles a TypeScript module for Node with esbuild and imports it (once per path). */
    importTs: (relativePath) =>
      once(`ts:${relativePath}`, async () => {
        const outfile = join(ctx.tempDir('node-bundle'), 'module.mjs');
        await build({
          entryPoints: [join(ROOT, relativePath)],
          outfile,
          bundle: true,
          format: 'esm',
          platform: 'node',
          target: 'node20',
          logLevel: 'error',
        });
        return import(pathToFileURL(outfile).href);
      }),

    /** A Worker (wrangler dev, sandbox mode, own state) with the demo tenant's limits raised. */
    sandboxWorker: () => once('sandbox', () => ctx.startWorker({}, 'sandbox')),

    /** The fake OpenAI server (client_secrets with scripted delays, Realtime WebSocket). */
    fakeOpenAI: () =>
      once('fake', async () => {
        const fake = await startFakeOpenAI();
        defer('stop the fake OpenAI server', () => fake.close());
        return fake;
      }),

    /** A Worker that talks to the fake OpenAI server with a server key (not sandbox). */
    upstreamWorker: () =>
      once('upstream', async () => {
        const fake = await ctx.fakeOpenAI();
        return ctx.startWorker({ OPENAI_API_KEY: FAKE_OPENAI_KEY, OPENAI_BASE_URL: fake.url }, 'upstream: fake OpenAI');
      }),

    /** The upstream Worker's twin in workerd via Miniflare, without wrangler dev's proxy (see startRuntimeWorker). */
    runtimeUpstreamWorker: () =>
      once('runtime-upstream', async () => {
        const fake = await ctx.fakeOpenAI();
        return ctx.startRuntimeWorker(
          { OPENAI_API_KEY: FAKE_OPENAI_KEY, OPENAI_BASE_URL: fake.url },
          'upstream: fake OpenAI',
        );
      }),

    /** The fake ElevenLabs server; `firstByteMs` is changed per request through its /__fake/next. */
    fakeElevenLabs: () =>
      once('fake-elevenlabs', async () => {
        const fake = await startFakeElevenLabs();
        defer('stop the fake ElevenLabs server', () => fake.close());
        return fake;
      }),

    /** The Worker vars that aim text-to-speech at the fake ElevenLabs. */
    async elevenLabsVars() {
      const fake = await ctx.fakeElevenLabs();
      return { ELEVENLABS_API_KEY: FAKE_ELEVENLABS_KEY, ELEVENLABS_BASE_URL: fake.url };
    },

    /** A Worker in workerd via Miniflare (no wrangler dev proxy), demo tenant's limits raised. */
    async startRuntimeWorker(vars, label) {
      const started = Date.now();
      const worker = await startRuntimeWorker(vars, ctx.tempDir('runtime'));
      ports.add(worker.port);
      defer(`stop the Miniflare Worker (${label})`, () => worker.dispose());
      console.log(
        `  [harness] workerd via Miniflare (${label}) on ${worker.url}, up in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      await raiseDemoLimits(worker);
      return worker;
    },

    async startWorker(vars, label) {
      const started = Date.now();
      const worker = await startWorker(vars);
      ports.add(worker.port);
      defer(`stop wrangler dev (${label}, pid ${worker.pid})`, () => worker.dispose());
      console.log(
        `  [harness] wrangler dev (${label}) pid ${worker.pid} on ${worker.url}, up in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      await raiseDemoLimits(worker);
      return worker;
    },

    browser: () =>
      once('browser', async () => {
        const browser = await launchBrowser();
        const pid = browser.process()?.pid;
        defer(`close Chromium (pid ${pid})`, async () => {
          await withTimeout(browser.close(), 10_000, 'closing Chromium').catch(() => {
            if (pid) process.kill(pid, 'SIGKILL');
          });
        });
        return browser;
      }),

    /** The browser benchmark pages (esbuild bundles of test/bench/browser/*.ts) and the fake relay, on 127.0.0.1. */
    pageServer: () =>
      once('pages', async () => {
        const server = await startPageServer(ctx.tempDir('pages'));
        defer('stop the page server', () => server.close());
        return server;
      }),

    /** A new page that reports page errors to the console of the bench. */
    async newPage(path) {
      const browser = await ctx.browser();
      const page = await browser.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.pageErrors = errors;
      if (path) await page.goto(path, { waitUntil: 'load' });
      return page;
    },

    /** Stops everything, last started first; a failing step is reported and the rest still run. */
    async dispose() {
      for (const { what, fn } of cleanups.splice(0).reverse()) {
        try {
          await withTimeout(Promise.resolve().then(fn), 20_000, what);
        } catch (e) {
          console.error(`  [harness] could not ${what}: ${e.message}`);
        }
      }
    },
  };
  return ctx;
}
