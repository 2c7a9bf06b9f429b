import { Hono } from 'hono';
import { readLimited } from '../body.ts';
import type { AppEnv } from '../env.ts';
import { ApiError } from '../errors.ts';
import { utcMonth } from '../limits/month.ts';
import { limitsStub } from '../limits/quota.ts';
import { createCall, hangupCall } from '../providers/openai.ts';
import type { CallInfo } from '../realtime/call.ts';
import { buildSessionConfig, instructionsFor } from '../realtime/session-config.ts';
import { verifyTicket } from '../realtime/ticket.ts';

/**
 * POST /v1/realtime/calls: hands-free without an OpenAI credential in the browser. The browser posts its SDP offer
 * with the single-use ticket from POST /v1/realtime/session; the Worker creates the call at OpenAI with the server
 * key and the tenant's whole session (instructions, tools, voice, turn detection, transcription), answers with the
 * SDP, and hands the call to its Durable Object, which holds the sideband for the call's life.
 */
export const calls = new Hono<AppEnv>().post('/calls', async (c) => {
  const tenant = c.get('tenant');
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/sdp')
    throw new ApiError(415, 'unsupported_media_type', 'Send the SDP offer with Content-Type: application/sdp');
  const auth = c.req.header('authorization') ?? '';
  const ticket = auth.startsWith('Bearer ') ? auth.slice(7).trim() : '';
  const claims = ticket ? await verifyTicket(c.env, ticket) : null;
  if (!claims || claims.tid !== tenant.id || claims.mode !== 'webrtc') {
    throw new ApiError(
      401,
      'invalid_ticket',
      'The hands-free ticket is missing, invalid or expired; get a new one from POST /v1/realtime/session',
    );
  }
  const offer = await readLimited(c.req.raw);
  if (!offer.startsWith('v=0')) throw new ApiError(400, 'invalid_offer', 'The body is not an SDP offer');
  const stub = limitsStub(c.env, tenant.id);
  const session = buildSessionConfig(tenant, {
    mode: 'webrtc',
    model: claims.model,
    voice: claims.voice,
    language: claims.lang,
  });
  // Redeeming the ticket and creating the call run side by side (one round trip less before the answer); a ticket
  // that turns out to be spent hangs its call up again, so it still opens one call only.
  const [redeemed, outcome] = await Promise.all([
    stub.redeemTicket(claims.jti, claims.exp),
    createCall(c.env, offer, session).then(
      (created) => ({ created }),
      (error: unknown) => ({ error }),
    ),
  ]);
  if (!redeemed) {
    if ('created' in outcome) c.executionCtx.waitUntil(hangupCall(c.env, outcome.created.callId).catch(() => {}));
    throw new ApiError(
      401,
      'ticket_used',
      'This hands-free ticket was already used; get a new one from POST /v1/realtime/session',
    );
  }
  if ('error' in outcome) {
    // The unit this ticket took pays for a call that never started: it goes back (once: the ticket is spent now).
    await stub.release('voice_session', claims.mon ?? utcMonth()).catch(() => {});
    throw outcome.error;
  }
  const { created } = outcome;
  const info: CallInfo = {
    callId: created.callId,
    tenantId: tenant.id,
    sessionId: claims.sid,
    model: claims.model,
    startedAt: Date.now(),
    maxSeconds: tenant.limits.sessionMaxSeconds,
    instructions: instructionsFor(tenant, claims.lang),
    tools: (session.tools ?? []).map((t) => ('name' in t ? (t.name ?? '') : '')),
  };
  // The object attaches the sideband while the browser connects; the answer does not wait for it.
  // A call nobody holds would run uncapped: if its object cannot take it, it is hung up.
  c.executionCtx.waitUntil(
    c.env.CALLS.get(c.env.CALLS.idFromName(created.callId))
      .start(info)
      .catch(() => hangupCall(c.env, created.callId).catch(() => {})),
  );
  // Through the context, so the CORS headers of the tenant's origin come along.
  return c.body(created.answer, 201, { 'Content-Type': 'application/sdp', 'Cache-Control': 'no-store' });
});
