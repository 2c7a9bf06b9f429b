// Shared by the end-to-end tests: a `wrangler dev` of our own on a free port with its own local state, and a
// headless Chromium with fake media devices. Everything started here is stopped here, by PID.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { buildWidget, prepareDatabase, ROOT, startWrangler } from '../../demo/local.mjs';
import { findChromium } from '../chromium.mjs';

export const ADMIN_TOKEN = 'e2e-admin-token';

/** What every test Worker runs with: our admin token and empty provider keys (sandbox, whatever .dev.vars says). */
export const SANDBOX_VARS = { ADMIN_TOKEN, OPENAI_API_KEY: '', AKOOL_API_KEY: '', ELEVENLABS_API_KEY: '', TICKET_SECRET: 'e2e-ticket-secret' };

/** fetch() to a test Worker's admin API with the admin token. */
export const adminFetch = (url) => (path, init = {}) =>
  fetch(`${url}${path}`, { ...init, headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json', ...init.headers } });

export const freePort = () =>
  new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });

/** A Worker on its own port and local D1/Durable Objects, serving the built widget and demo. */
export async function startWorker(vars = {}) {
  if (!existsSync(join(ROOT, 'dist/voice-buddy.iife.js'))) buildWidget({ quiet: true });
  const port = await freePort();
  const persistTo = mkdtempSync(join(tmpdir(), 'vb-e2e-'));
  prepareDatabase({ port, persistTo, quiet: true });
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
    args: [
      '--no-sandbox', '--headless=new', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
      '--autoplay-policy=no-user-gesture-required', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-gpu', '--js-flags=--expose-gc',
    ],
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
