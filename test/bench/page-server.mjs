// Serves the browser benchmarks: test/bench/browser/*.ts bundled with esbuild (code splitting on, so the widget's
// lazy keyword chunk is fetched on demand as in the real build), the audio worklet next to them, one HTML page per
// entry, and the fake relay at /fake-relay that FakeBackend's wsUrl points to (test/fakes/openai-realtime-ws.js,
// configured first as the Worker's relay does). Only 127.0.0.1.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { build } from 'esbuild';
import { WebSocketServer } from 'ws';
import { ROOT } from '../../demo/local.mjs';
import { attachRealtimeSocket } from '../fakes/openai-realtime-ws.js';

export const ENTRIES = ['connect', 'keywords', 'ptt', 'avatar'];
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
};

export async function startPageServer(outdir) {
  await build({
    entryPoints: Object.fromEntries(ENTRIES.map((name) => [name, join(ROOT, `test/bench/browser/${name}.ts`)])),
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    target: 'es2022',
    // Minified like the real build, but names kept so long-animation-frame entries can name the functions.
    minifyWhitespace: true,
    minifySyntax: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'error',
  });
  copyFileSync(join(ROOT, 'widget/voice-buddy-audio.worklet.js'), join(outdir, 'voice-buddy-audio.worklet.js'));
  for (const name of ENTRIES) {
    writeFileSync(
      join(outdir, `${name}.html`),
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>voice-buddy bench: ${name}</title><link rel="icon" href="data:,"></head>` +
        `<body><script type="module" src="/${name}.js"></script></body></html>`,
    );
  }

  const requests = [];
  const gzipped = new Map();
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://bench').pathname)).replace(/^(\.\.[/\\])+/, '');
    requests.push(path);
    // The built widget's lazy chunks (dist/chunks/), compressed as Cloudflare's edge serves them.
    if (path.startsWith('/sdk/')) {
      try {
        const file = join(ROOT, 'dist/chunks', path.slice('/sdk/'.length));
        if (!gzipped.has(file)) gzipped.set(file, gzipSync(readFileSync(file), { level: 6 }));
        res.writeHead(200, { 'Content-Type': TYPES['.js'], 'Content-Encoding': 'gzip', 'Cache-Control': 'no-store' });
        return res.end(gzipped.get(file));
      } catch {
        res.writeHead(404, { 'Content-Type': 'text/plain' });
        return res.end('not built');
      }
    }
    try {
      const body = readFileSync(join(outdir, path));
      res.writeHead(200, {
        'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream',
        'Cache-Control': 'no-store',
      });
      res.end(body);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
    }
  });

  const state = { realtime: { connections: [], behaviour: {} } };
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url, 'http://bench');
    if (url.pathname !== '/fake-relay') return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => {
      attachRealtimeSocket(ws, { model: url.searchParams.get('model') ?? 'gpt-realtime-2.1', state });
      // The relay sends the session config before anything from the client (as test/fakes/relay-plugin.js does).
      const mode = url.searchParams.get('mode');
      const session = { type: 'realtime', output_modalities: mode === 'text' ? ['text'] : ['audio'] };
      ws.emit('message', Buffer.from(JSON.stringify({ type: 'session.update', session })), false);
      state.realtime.connections.at(-1)?.received.shift();
    });
  });

  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    url: (name) => `${origin}/${name}.html`,
    requests,
    /** Behaviour of the next relay connections (see openai-realtime-ws.js): reply, stepMs, latencyMs ... */
    setRelayBehaviour(behaviour) {
      state.realtime.behaviour = behaviour;
    },
    relayConnections: () => state.realtime.connections,
    close: () =>
      new Promise((resolve) => {
        for (const ws of wss.clients) ws.terminate();
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
