import { Hono } from 'hono';
import type { RelaySessionResponse, SandboxSessionResponse, WebRtcSessionResponse } from '../api-types.ts';
import type { AppEnv } from '../env.ts';
import { ApiError } from '../errors.ts';
import { MODE_FLAGS, requireFlag } from '../flags/enforce.ts';
import { utcMonth } from '../limits/month.ts';
import { withQuota } from '../limits/quota.ts';
import { createClientSecret, isSandbox, openaiBase } from '../providers/openai.ts';
import { buildSessionConfig } from '../realtime/session-config.ts';
import { CALL_TICKET_TTL_S, signTicket, TICKET_TTL_S, type TicketClaims } from '../realtime/ticket.ts';
import { json } from '../validator.ts';
import { SessionBody } from './schemas.ts';

export const realtime = new Hono<AppEnv>().post('/session', json(SessionBody), async (c) => {
  const tenant = c.get('tenant');
  const body = c.req.valid('json');
  if (!tenant.allowedModes.includes(body.mode)) {
    throw new ApiError(400, 'mode_not_allowed', `Mode "${body.mode}" is not enabled for this site`);
  }
  await requireFlag(c, MODE_FLAGS[body.mode], body.uid);
  const model = body.model ?? tenant.defaultModel;
  if (!tenant.allowedModels.includes(model)) {
    throw new ApiError(
      400,
      'model_not_allowed',
      `Model "${model}" is not enabled for this site; use one of ${tenant.allowedModels.join(', ')}`,
    );
  }
  const voice = body.voice ?? tenant.voice;
  // The widget sends the language it shows; without one the site's default applies.
  const language = body.language ?? tenant.settings.widget?.language;
  const lang = language ? { lang: language } : {};
  const sessionId = crypto.randomUUID();
  const record = (mode: string) =>
    c.executionCtx.waitUntil(
      c.env.DB.prepare('INSERT INTO sessions (id, tenant_id, mode, model, uid) VALUES (?, ?, ?, ?, ?)')
        .bind(sessionId, tenant.id, mode, model, body.uid ?? null)
        .run()
        .catch((e: Error) => console.error('session record failed', { sessionId, error: e.message })),
    );
  /** A short, single-use, signed ticket for this session in `mode`, taken from the voice-session quota and recorded. */
  const mintTicket = async (mode: TicketClaims['mode'], ttlS: number) => {
    const exp = Math.floor(Date.now() / 1000) + ttlS;
    const claims = { jti: crypto.randomUUID(), tid: tenant.id, mode, model, voice, uid: body.uid ?? null };
    const ticket = await withQuota(c.env, tenant, 'voice_session', () =>
      signTicket(c.env, { ...claims, sid: sessionId, exp, mon: utcMonth(), ...lang }),
    );
    record(mode);
    return { ticket, exp };
  };

  if (body.mode === 'webrtc') {
    if (isSandbox(c.env)) {
      // No key to mint with: the widget moves to the relay, whose sandbox responder needs no key.
      const reason = 'Voice needs an OpenAI key on the server; running the sandbox.';
      const answer = { mode: 'sandbox', requestedMode: 'webrtc', sessionId, reason } satisfies SandboxSessionResponse;
      return c.json(answer, 201);
    }
    const session = buildSessionConfig(tenant, { mode: 'webrtc', model, voice, language });
    const summary = {
      model,
      voice,
      outputModalities: session.output_modalities,
      turnDetection: 'semantic_vad',
      tools: (session.tools ?? [])
        .map((t) => ('name' in t ? t.name : undefined))
        .filter((n): n is string => Boolean(n)),
    };
    if (tenant.settings.realtime?.clientSecret) {
      // Opt-in per tenant, and uncapped: the browser holds an OpenAI key that opens several sessions until it
      // expires and can rewrite the instructions and tools over the data channel; no sessionMaxSeconds applies.
      const secret = await withQuota(c.env, tenant, 'voice_session', () => createClientSecret(c.env, session));
      record('webrtc');
      const answer = {
        mode: 'webrtc',
        sessionId,
        clientSecret: { value: secret.value, expiresAt: secret.expiresAt },
        expiresAt: secret.expiresAt,
        model,
        callsUrl: `${openaiBase(c.env)}/v1/realtime/calls`,
        session: summary,
      } satisfies WebRtcSessionResponse;
      return c.json(answer, 201);
    }
    // The Worker creates the call (POST /v1/realtime/calls with this ticket): no OpenAI credential in the browser.
    const { ticket, exp } = await mintTicket('webrtc', CALL_TICKET_TTL_S);
    const callsUrl = new URL('/v1/realtime/calls', c.req.url);
    callsUrl.searchParams.set('key', tenant.publishableKey);
    const answer = {
      mode: 'webrtc',
      sessionId,
      ticket,
      expiresAt: exp,
      model,
      callsUrl: callsUrl.toString(),
      session: summary,
    } satisfies WebRtcSessionResponse;
    return c.json(answer, 201);
  }

  // websocket and text go through the relay: a short, single-use, signed ticket that the WebSocket upgrade redeems.
  const { ticket, exp } = await mintTicket(body.mode, TICKET_TTL_S);
  const wsUrl = new URL('/v1/realtime/ws', c.req.url);
  wsUrl.protocol = wsUrl.protocol === 'https:' ? 'wss:' : 'ws:';
  wsUrl.searchParams.set('key', tenant.publishableKey);
  wsUrl.searchParams.set('ticket', ticket);
  const answer = {
    mode: body.mode,
    sessionId,
    ticket,
    wsUrl: wsUrl.toString(),
    expiresAt: exp,
    model,
    sandbox: isSandbox(c.env),
  } satisfies RelaySessionResponse;
  return c.json(answer, 201);
});
