import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';
import { ApiError } from '../errors.ts';
import { limitsStub } from '../limits/quota.ts';
import { startRelay } from '../realtime/relay.ts';
import { verifyTicket } from '../realtime/ticket.ts';

const KEY_PROTOCOL = 'openai-insecure-api-key.';

/**
 * The ticket comes in the URL (our widget), or where OpenAI's own clients put a key: the
 * `openai-insecure-api-key.` subprotocol (browsers) or `Authorization: Bearer` (Node). The Origin check of the
 * tenant middleware has already run either way.
 */
function ticketOf(req: Request, protocols: string[]): string | null {
  const fromQuery = new URL(req.url).searchParams.get('ticket');
  if (fromQuery) return fromQuery;
  const fromProtocol = protocols.find((p) => p.startsWith(KEY_PROTOCOL));
  if (fromProtocol) return fromProtocol.slice(KEY_PROTOCOL.length);
  const auth = req.headers.get('authorization');
  return auth?.startsWith('Bearer ') ? auth.slice(7).trim() : null;
}

/** GET /v1/realtime/ws: redeems a relay ticket (once) and upgrades to the Realtime relay. */
export const relay = new Hono<AppEnv>().get('/ws', async (c) => {
  if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') {
    throw new ApiError(
      426,
      'upgrade_required',
      'This endpoint only speaks WebSocket: open wsUrl with new WebSocket(wsUrl)',
      undefined,
      {
        Upgrade: 'websocket',
      },
    );
  }
  const tenant = c.get('tenant');
  const protocols = (c.req.header('sec-websocket-protocol') ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const ticket = ticketOf(c.req.raw, protocols);
  const claims = ticket ? await verifyTicket(c.env, ticket) : null;
  if (!claims || claims.tid !== tenant.id || claims.mode === 'webrtc') {
    throw new ApiError(
      401,
      'invalid_ticket',
      'The relay ticket is missing, invalid or expired; get a new one from POST /v1/realtime/session',
    );
  }
  // Single use, decided by the tenant's Durable Object so two upgrades racing with one ticket cannot both win.
  if (!(await limitsStub(c.env, tenant.id).redeemTicket(claims.jti, claims.exp))) {
    throw new ApiError(
      401,
      'ticket_used',
      'This relay ticket was already used; get a new one from POST /v1/realtime/session',
    );
  }
  const { 0: browser, 1: server } = new WebSocketPair();
  startRelay(server, {
    env: c.env,
    tenant,
    claims: { ...claims, mode: claims.mode },
    background: (p) => c.executionCtx.waitUntil(p),
  });
  // A client that offers subprotocols fails the handshake unless one is echoed; never echo the one holding the ticket.
  const headers = protocols.includes('realtime') ? { 'Sec-WebSocket-Protocol': 'realtime' } : undefined;
  return new Response(null, { status: 101, webSocket: browser, headers });
});
