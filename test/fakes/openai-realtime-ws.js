// The server side of an OpenAI Realtime WebSocket: one FakeRealtimeSession (realtime-session.js, the API's rules)
// per socket. Behaviour (POST /__fake/realtime): { refuse?: status, dropAfterMs?, reply?, functionCall?, transcript?,
// transcriptAfter?, stepMs?, latencyMs?, today?, sessionMaxMs? }.
import { FakeRealtimeSession } from './realtime-session.js';

export function attachRealtimeSocket(ws, { model, state, config, transport = 'websocket' }) {
  const behaviour = state.realtime.behaviour;
  const session = new FakeRealtimeSession({
    model,
    transport,
    behaviour,
    config,
    send: (event) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(event));
    },
    close: (code, reason) => ws.close(code, reason),
  });
  state.realtime.connections.push(session);
  session.start();
  if (behaviour.dropAfterMs) setTimeout(() => ws.terminate(), behaviour.dropAfterMs);
  ws.on('message', (data, binary) => {
    if (binary)
      return session.error(
        { code: 'invalid_value', message: 'Binary frames are not supported; send JSON text.' },
        null,
      );
    session.receive(String(data));
  });
  ws.on('close', () => session.end());
  return session;
}
