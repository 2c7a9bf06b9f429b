// OpenAI's WebRTC calls, faked with a real WebRTC stack in Node (werift), so Chromium really connects over loopback:
// - POST /v1/realtime/calls: multipart `sdp` + `session` with the server key (the unified interface), or a bare SDP
//   offer with an unexpired ephemeral key (the session it was minted with). 201, the answer SDP, the call id in
//   Location. A body that is not an offer, a bad key or a bad session get OpenAI's error bodies.
// - the call: an `oai-events` data channel carrying one FakeRealtimeSession (realtime-session.js, the API's rules)
//   with transport 'webrtc', and an audio track back;
// - the sideband: a WebSocket to /v1/realtime?call_id= (server key) sees every server event of the call and may send
//   client events;
// - POST /v1/realtime/calls/{id}/hangup ends the call: channel, peer and sidebands close.
// Control: POST /__fake/calls/{id}/speak { text } (the visitor says something: turn detection does the rest),
// POST /__fake/calls/{id}/client { event } (a client event as if it came over the data channel).
import { randomBytes } from 'node:crypto';
import { MediaStreamTrack, RTCPeerConnection } from 'werift';
import { FakeRealtimeSession } from './realtime-session.js';
import { sessionProblem } from './realtime-rules.js';

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'authorization, content-type, x-openai-agents-sdk',
  'access-control-allow-methods': 'POST, OPTIONS',
  'access-control-expose-headers': 'location',
};

function send(res, status, body, headers = {}) {
  res.writeHead(status, { ...CORS, ...headers });
  res.end(body);
}
const error = (res, status, message, code = null, param = null, type = 'invalid_request_error') =>
  send(res, status, JSON.stringify({ error: { message, type, code, param } }), { 'content-type': 'application/json' });

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** One call: a werift peer answering the browser's offer, and the Realtime session on its data channel. */
async function createCall(state, offer, config, model) {
  const id = `rtc_${randomBytes(12).toString('hex')}`;
  const pc = new RTCPeerConnection({ iceServers: [] });
  // The model's voice: a real audio track in the answer (silent: the fake sends no RTP).
  pc.addTransceiver(new MediaStreamTrack({ kind: 'audio' }), { direction: 'sendrecv' });
  const call = {
    id,
    pc,
    channel: null,
    sidebands: new Set(),
    queue: [],
    hungUp: false,
    ended: false,
    createdAt: Date.now(),
    channelOpened: false,
  };
  const toChannel = (text) => {
    if (call.channel?.readyState === 'open') call.channel.send(text);
    else call.queue.push(text);
  };
  call.session = new FakeRealtimeSession({
    model,
    transport: 'webrtc',
    behaviour: state.realtime.behaviour,
    config,
    send: (event) => toChannel(JSON.stringify(event)),
    close: () => endCall(call),
  });
  call.session.observers.add((event) => {
    const text = JSON.stringify(event);
    for (const ws of call.sidebands) if (ws.readyState === ws.OPEN) ws.send(text);
  });
  pc.onDataChannel.subscribe((channel) => {
    if (channel.label !== 'oai-events') return;
    call.channel = channel;
    const opened = () => {
      call.channelOpened = true;
      for (const text of call.queue.splice(0)) channel.send(text);
    };
    if (channel.readyState === 'open') opened();
    else channel.stateChanged.subscribe((s) => s === 'open' && opened());
    channel.onMessage.subscribe((data) => call.session.receive(String(data)));
  });
  pc.connectionStateChange.subscribe((s) => {
    if (s === 'connected') call.connected = true;
    if ((s !== 'failed' && s !== 'closed') || call.ended) return;
    // The browser went away: the call ends as OpenAI ends it, and the sidebands hear it close. A peer that never
    // connected ends a while later (a server-only test attaches a sideband to a call no browser joins).
    if (call.connected) endCall(call);
    else setTimeout(() => endCall(call), state.realtime.behaviour.unjoinedCallMs ?? 30_000).unref?.();
  });
  await pc.setRemoteDescription({ type: 'offer', sdp: offer });
  await pc.setLocalDescription(await pc.createAnswer());
  await new Promise((resolve) => {
    if (pc.iceGatheringState === 'complete') return resolve();
    const sub = pc.iceGatheringStateChange.subscribe((s) => s === 'complete' && (sub.unSubscribe?.(), resolve()));
    setTimeout(resolve, 2000);
  });
  state.calls.set(id, call);
  call.session.start();
  return { call, answer: pc.localDescription.sdp };
}

function endCall(call) {
  if (call.ended) return;
  call.ended = true;
  call.session.end();
  for (const ws of call.sidebands) ws.close(1000, 'call ended');
  try {
    call.channel?.close();
  } catch {
    /* already closed */
  }
  void call.pc.close().catch(() => {});
}

export function callSummary(call) {
  return {
    id: call.id,
    ...call.session.summary(),
    hungUp: call.hungUp,
    ended: call.ended,
    sidebands: call.sidebandCount ?? 0,
    channelOpened: call.channelOpened,
  };
}

/** Routes of the calls API; returns false when the request is not one of them. */
export async function handleCalls(req, res, url, state, apiKey) {
  const path = url.pathname;
  if (path === '/v1/realtime/calls' && req.method === 'OPTIONS') return (send(res, 204, ''), true);
  const control = /^\/__fake\/calls\/([^/]+)\/(speak|client)$/.exec(path);
  if (control && req.method === 'POST') {
    const call = state.calls.get(control[1]);
    if (!call) return (error(res, 404, 'no such call'), true);
    const body = JSON.parse(String(await readBody(req)) || '{}');
    if (control[2] === 'speak') call.session.speak(body.text);
    else call.session.receive(JSON.stringify(body.event));
    return (send(res, 200, '{"ok":true}', { 'content-type': 'application/json' }), true);
  }
  const hangup = /^\/v1\/realtime\/calls\/([^/]+)\/hangup$/.exec(path);
  if (hangup && req.method === 'POST') {
    await readBody(req);
    state.log.push({
      path: '/v1/realtime/calls/{id}/hangup',
      authScheme: (req.headers.authorization ?? '').split(' ')[0],
      keyOk: req.headers.authorization === `Bearer ${apiKey}`,
      body: null,
    });
    if (req.headers.authorization !== `Bearer ${apiKey}`)
      return (error(res, 401, 'Incorrect API key provided.', 'invalid_api_key'), true);
    const call = state.calls.get(hangup[1]);
    if (!call) return (error(res, 404, `Call ${hangup[1]} not found.`, 'call_not_found'), true);
    call.hungUp = true;
    endCall(call);
    return (send(res, 200, ''), true);
  }
  if (path !== '/v1/realtime/calls' || req.method !== 'POST') return false;

  const raw = await readBody(req);
  const auth = req.headers.authorization ?? '';
  const key = auth.startsWith('Bearer ') ? auth.slice(7) : '';
  const entry = {
    path,
    authScheme: auth.split(' ')[0] ?? '',
    keyOk: key === apiKey,
    body: null,
    contentType: req.headers['content-type'] ?? '',
  };
  state.log.push(entry);
  const scripted = state.callsQueue.shift();
  if (scripted?.delayMs) await new Promise((r) => setTimeout(r, scripted.delayMs));
  if (scripted?.status)
    return (
      error(
        res,
        scripted.status,
        `Scripted failure ${scripted.status}: sk-proj-secret-like-text`,
        scripted.code ?? null,
        scripted.param ?? null,
        scripted.status >= 500 ? 'server_error' : 'invalid_request_error',
      ),
      true
    );
  const ephemeral = state.ephemeralKeys.get(key);
  if (!key) return (error(res, 401, 'Missing bearer or basic authentication in header.'), true);
  if (key !== apiKey && !(ephemeral && ephemeral.expiresAt > Date.now() / 1000)) {
    return (
      error(res, 401, ephemeral ? 'The ephemeral key has expired.' : 'Incorrect API key provided.', 'invalid_api_key'),
      true
    );
  }
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim();
  let offer;
  let session = ephemeral?.session;
  if (type === 'multipart/form-data') {
    const form = await new Response(raw, { headers: { 'content-type': req.headers['content-type'] } })
      .formData()
      .catch(() => null);
    if (!form) return (error(res, 400, 'Could not parse the multipart body.'), true);
    const sdp = form.get('sdp');
    const json = form.get('session');
    offer = typeof sdp === 'string' ? sdp : await sdp?.text();
    const sessionText = typeof json === 'string' ? json : await json?.text();
    if (sessionText !== undefined) {
      try {
        session = JSON.parse(sessionText);
      } catch {
        return (error(res, 400, "Invalid 'session': not JSON.", 'invalid_json', 'session'), true);
      }
      entry.body = { session };
    }
  } else if (type === 'application/sdp') offer = String(raw);
  else
    return (
      error(
        res,
        400,
        'Unsupported content type: send application/sdp or multipart/form-data.',
        'unsupported_content_type',
      ),
      true
    );
  if (!offer || !offer.startsWith('v=0'))
    return (error(res, 400, "Invalid 'sdp': expected an SDP offer.", 'invalid_offer', 'sdp'), true);
  if (session) {
    const problem = sessionProblem(session, { today: state.realtime.behaviour.today });
    if (problem) return (error(res, 400, problem.message, problem.code, problem.param), true);
  }
  const model = session?.model ?? 'gpt-realtime-2.1';
  let created;
  try {
    created = await createCall(state, offer, session ?? {}, model);
  } catch (e) {
    return (error(res, 400, `Invalid 'sdp': ${e.message}`, 'invalid_offer', 'sdp'), true);
  }
  send(res, 201, created.answer, {
    'content-type': 'application/sdp',
    location: `/v1/realtime/calls/${created.call.id}`,
  });
  return true;
}

/** The sideband: GET /v1/realtime?call_id= upgraded to a WebSocket with the server key. */
export function attachSideband(wss, req, socket, head, state, callId) {
  const call = state.calls.get(callId);
  if (!call || call.ended) {
    const body = JSON.stringify({
      error: {
        type: 'invalid_request_error',
        code: 'call_not_found',
        message: `Call ${callId} not found.`,
        param: null,
      },
    });
    socket.end(
      `HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => {
    call.sidebands.add(ws);
    call.sidebandCount = (call.sidebandCount ?? 0) + 1;
    ws.on('message', (data) => call.session.receive(String(data)));
    ws.on('close', () => call.sidebands.delete(ws));
  });
}

export function closeCalls(state) {
  for (const call of state.calls.values()) endCall(call);
}
