import type { ClientSecretCreateParams, ClientSecretCreateResponse } from 'openai/resources/realtime/client-secrets';
import type { RealtimeSessionCreateRequest } from 'openai/resources/realtime/realtime';
import type { Env } from '../env.ts';
import { ApiError } from '../errors.ts';
import { callProvider, upstreamTimeout } from './upstream.ts';

export const openaiBase = (env: Env) => (env.OPENAI_BASE_URL || 'https://api.openai.com').replace(/\/+$/, '');

/** Sandbox: no OpenAI key configured, so the built-in responder stands in for the model. */
export const isSandbox = (env: Env) => !env.OPENAI_API_KEY;

export interface ClientSecret {
  value: string;
  expiresAt: number;
}

/** Mints an ephemeral key for one browser (GA endpoint). The server key stays here. */
export async function createClientSecret(
  env: Env,
  session: RealtimeSessionCreateRequest,
  ttlSeconds = 600,
): Promise<ClientSecret> {
  const body: ClientSecretCreateParams = { expires_after: { anchor: 'created_at', seconds: ttlSeconds }, session };
  const res = await callProvider(
    'OpenAI',
    `${openaiBase(env)}/v1/realtime/client_secrets`,
    {
      method: 'POST',
      headers: { Authorization: `Bearer ${env.OPENAI_API_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    },
    upstreamTimeout(env),
  );
  let data: Partial<ClientSecretCreateResponse>;
  try {
    data = await res.json();
  } catch {
    throw new ApiError(502, 'provider_error', 'OpenAI answered with something that is not JSON');
  }
  if (typeof data.value !== 'string' || typeof data.expires_at !== 'number') {
    throw new ApiError(502, 'provider_error', 'OpenAI answered without a client secret');
  }
  return { value: data.value, expiresAt: data.expires_at };
}

export interface CreatedCall {
  callId: string;
  answer: string;
}

/**
 * Creates a WebRTC call at OpenAI for a browser's SDP offer (the "unified interface"): multipart `sdp` + `session`
 * with the server key, as the official client's calls.create sends it. The browser never holds an OpenAI credential.
 */
export async function createCall(env: Env, offer: string, session: RealtimeSessionCreateRequest): Promise<CreatedCall> {
  const form = new FormData();
  form.append('sdp', new Blob([offer], { type: 'application/sdp' }));
  form.append('session', new Blob([JSON.stringify(session)], { type: 'application/json' }));
  const res = await callProvider(
    'OpenAI',
    `${openaiBase(env)}/v1/realtime/calls`,
    {
      method: 'POST',
      headers: { Authorization: `Bearer ${env.OPENAI_API_KEY}`, Accept: 'application/sdp' },
      body: form,
    },
    upstreamTimeout(env),
  );
  const answer = await res.text();
  const callId = res.headers.get('location')?.split('/').pop() ?? '';
  if (!answer.startsWith('v=') || !/^[\w-]{1,128}$/.test(callId))
    throw new ApiError(502, 'provider_error', 'OpenAI answered the call without an SDP answer or a call id');
  return { callId, answer };
}

/** Ends a call, whoever holds it (POST /v1/realtime/calls/{id}/hangup). */
export async function hangupCall(env: Env, callId: string): Promise<void> {
  await callProvider(
    'OpenAI',
    `${openaiBase(env)}/v1/realtime/calls/${encodeURIComponent(callId)}/hangup`,
    { method: 'POST', headers: { Authorization: `Bearer ${env.OPENAI_API_KEY}` } },
    upstreamTimeout(env),
  );
}
