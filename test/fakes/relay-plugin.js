// A @web/test-runner plugin that serves the fake OpenAI realtime socket at /fake-relay, speaking what the Worker's
// relay forwards (GA server events), so widget tests exercise push-to-talk and text over a real WebSocket. Control:
// POST /__fake-relay/behaviour {..} (see openai-realtime-ws.js), POST /__fake-relay/drop {code, reason, before?}, POST
// /__fake-relay/reset, GET /__fake-relay/log. It also takes the widget's telemetry as the Worker's POST /v1/events
// would (202), and keeps what arrived, by key: GET /__fake-events/log?key=<publishable key> -> [{ contentType,
// fetchMode, body }].
import { WebSocketServer } from 'ws';
import { attachRealtimeSocket } from './openai-realtime-ws.js';

export function fakeRelayPlugin() {
  const state = { realtime: { connections: [], behaviour: {} } };
  const sockets = new Set();
  const wss = new WebSocketServer({ noServer: true });
  const sseDropped = new Set();
  const sseLog = [];
  const eventPosts = [];

  async function readJson(ctx) {
    const chunks = [];
    for await (const c of ctx.req) chunks.push(c);
    const text = Buffer.concat(chunks).toString('utf8');
    return text ? JSON.parse(text) : {};
  }

  return {
    name: 'fake-relay',
    serverStart({ server }) {
      server.on('upgrade', (req, socket, head) => {
        const url = new URL(req.url, 'http://local');
        if (url.pathname !== '/fake-relay') return;
        const refused =
          state.realtime.behaviour.refuse ||
          (state.realtime.behaviour.refuseModes ?? []).includes(url.searchParams.get('mode'));
        if (refused) {
          socket.end(`HTTP/1.1 ${state.realtime.behaviour.refuse ?? 502} Refused\r\nContent-Length: 0\r\n\r\n`);
          return;
        }
        wss.handleUpgrade(req, socket, head, (ws) => {
          sockets.add(ws);
          ws.on('close', () => sockets.delete(ws));
          attachRealtimeSocket(ws, { model: url.searchParams.get('model') ?? 'gpt-realtime-2.1', state });
          // The relay configures the session before anything from the client; for text, output is text.
          const mode = url.searchParams.get('mode');
          const session =
            mode === 'text'
              ? { type: 'realtime', output_modalities: ['text'] }
              : {
                  type: 'realtime',
                  output_modalities: ['audio'],
                  audio: { input: { transcription: { model: 'gpt-transcribe' }, turn_detection: null } },
                };
          ws.emit('message', Buffer.from(JSON.stringify({ type: 'session.update', session })), false);
          state.realtime.connections.at(-1).received.shift(); // that one was the relay's, not the widget's
        });
      });
    },
    // A scripted generation stream like GET /v1/generations/:id/events: ?drop=N ends the connection after N events
    // once, so EventSource must resume with Last-Event-ID; ?fail=1 ends with an error event.
    middlewareSse: async (ctx, next) => {
      if (ctx.path !== '/__fake-sse') return next();
      const svg = (i) =>
        `data:image/svg+xml,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="#${i}${i}${i}"/></svg>`)}`;
      const fail = ctx.query.fail === '1';
      const events = fail
        ? [
            ['queued', { stage: 'queued' }],
            ['progress', { percent: 30, stage: 'drawing' }],
            ['error', { code: 'generation_failed', message: 'The generator gave up.' }],
          ]
        : [
            ['queued', { stage: 'queued', target: 'sandbox' }],
            ['progress', { percent: 25, stage: 'composing' }],
            ['progress', { percent: 60, stage: 'drawing' }],
            ...[0, 1, 2].map((i) => [
              'concept',
              { index: i, imageUrl: svg(i + 3), alt: `Concept ${i + 1}: a fine-line wolf on the forearm` },
            ]),
            ['done', { concepts: 3 }],
          ];
      const last = Number(ctx.get('last-event-id') || 0);
      const key = String(ctx.query.id ?? '');
      const dropAfter = Number(ctx.query.drop ?? 0);
      const dropNow = dropAfter > 0 && !sseDropped.has(key);
      if (dropNow) sseDropped.add(key);
      ctx.respond = false;
      const res = ctx.res;
      res.writeHead(200, {
        'Content-Type': 'text/event-stream',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
      });
      sseLog.push({ id: key, lastEventId: last });
      let sent = 0;
      for (let i = last; i < events.length; i++) {
        const [type, data] = events[i];
        res.write(`id: ${i + 1}\nevent: ${type}\ndata: ${JSON.stringify(data)}\nretry: 100\n\n`);
        await new Promise((r) => setTimeout(r, 40));
        if (dropNow && ++sent >= dropAfter) return res.destroy();
      }
      res.end();
    },
    async serve(ctx) {
      if (ctx.path === '/__fake-sse/log') return { type: 'json', body: JSON.stringify(sseLog) };
      if (!ctx.path.startsWith('/__fake-relay/')) return undefined;
      const action = ctx.path.slice('/__fake-relay/'.length);
      if (action === 'log') {
        return {
          type: 'json',
          body: JSON.stringify({
            connections: state.realtime.connections.map((c) => ({
              received: c.received,
              refusals: c.refusals,
              closed: c.closed,
            })),
          }),
        };
      }
      return undefined;
    },
    // As strict as the Worker's route: a key in the URL, JSON or text/plain, a JSON body of 1-200 events.
    middlewareEvents: async (ctx, next) => {
      if (ctx.path === '/__fake-events/log') {
        ctx.body = eventPosts.filter((p) => p.key === ctx.query.key);
        return undefined;
      }
      if (ctx.path !== '/v1/events' || ctx.method !== 'POST') return next();
      const type = ctx.get('content-type');
      const chunks = [];
      for await (const c of ctx.req) chunks.push(c);
      let body;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        body = null;
      }
      const key = String(ctx.query.key ?? '');
      const batch = Array.isArray(body?.events) && body.events.length >= 1 && body.events.length <= 200;
      const ok = key && /^(application\/json|text\/plain)\b/i.test(type) && batch;
      // Sec-Fetch-Mode tells sendBeacon (no-cors) from fetch (cors) apart.
      eventPosts.push({ key, contentType: type, fetchMode: ctx.get('sec-fetch-mode'), body, accepted: !!ok });
      ctx.status = ok ? 202 : 400;
      const refusal = { error: { code: 'invalid_request', message: 'not a batch', requestId: 'fake' } };
      ctx.body = ok ? { accepted: body.events.length } : refusal;
      return undefined;
    },
    middleware: async (ctx, next) => {
      if (!ctx.path.startsWith('/__fake-relay/') || ctx.method !== 'POST') return next();
      const action = ctx.path.slice('/__fake-relay/'.length);
      const body = await readJson(ctx);
      if (action === 'behaviour') state.realtime.behaviour = body;
      else if (action === 'reset') {
        state.realtime.behaviour = {};
        state.realtime.connections.length = 0;
      } else if (action === 'drop') {
        for (const ws of sockets) {
          // The real relay sends its `error` event just before a cap's close (test/widget/fakes/backend.ts builds it).
          if (body.before) ws.send(JSON.stringify(body.before));
          if (body.code) ws.close(body.code, body.reason ?? 'dropped');
          else ws.terminate();
        }
      } else {
        ctx.status = 404;
        return undefined;
      }
      ctx.body = { ok: true };
      return undefined;
    },
  };
}
