import type { Env } from '../env.ts';
import type { Mode } from '../tenants/model.ts';

/** What a relay ticket binds: one tenant, one mode, one visitor, for at most TICKET_TTL_S seconds, once. */
export interface TicketClaims {
  jti: string;
  tid: string;
  mode: Mode;
  model: string;
  voice: string;
  uid: string | null;
  sid: string;
  exp: number;
  /** The month whose voice-session unit this ticket took, so a session that never starts can give it back. */
  mon?: string;
  /** The visitor's language (ISO-639-1), a transcription hint. */
  lang?: string;
}

export const TICKET_TTL_S = 60;
/** A hands-free ticket may be fetched ahead of the click (prewarm), so it lives longer; it is still single use. */
export const CALL_TICKET_TTL_S = 300;
const enc = new TextEncoder();

let isolateSecret: string | null = null;
function secret(env: Env): string {
  if (env.TICKET_SECRET) return env.TICKET_SECRET;
  // Without a configured secret a ticket only verifies in the isolate that signed it: fine for one local process.
  isolateSecret ??= crypto.randomUUID() + crypto.randomUUID();
  return isolateSecret;
}

const b64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const fromB64url = (s: string) =>
  Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (ch) => ch.charCodeAt(0));

async function hmacKey(env: Env) {
  return crypto.subtle.importKey('raw', enc.encode(secret(env)), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
    'verify',
  ]);
}

export async function signTicket(env: Env, claims: TicketClaims): Promise<string> {
  const payload = b64url(enc.encode(JSON.stringify(claims)));
  const sig = new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(env), enc.encode(payload)));
  return `${payload}.${b64url(sig)}`;
}

/** Verifies signature and expiry; single use is enforced separately (atomically) by the tenant's Durable Object. */
export async function verifyTicket(env: Env, ticket: string, now = Date.now()): Promise<TicketClaims | null> {
  const [payload, sig, extra] = ticket.split('.');
  if (!payload || !sig || extra !== undefined || ticket.length > 4096) return null;
  try {
    const ok = await crypto.subtle.verify('HMAC', await hmacKey(env), fromB64url(sig), enc.encode(payload));
    if (!ok) return null;
    const claims = JSON.parse(new TextDecoder().decode(fromB64url(payload))) as TicketClaims;
    return claims.exp * 1000 > now ? claims : null;
  } catch {
    return null;
  }
}
