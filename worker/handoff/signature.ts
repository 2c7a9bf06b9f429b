/**
 * Webhook signing, both directions (our job to the tenant, the tenant's results back to us):
 *   X-Voice-Buddy-Timestamp: <unix seconds>
 *   X-Voice-Buddy-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>
 * The timestamp is inside the signed text, so an old request cannot be replayed with a fresh timestamp; the window
 * bounds how long a captured request stays usable. Within it, what makes a replay harmless is in the signed body:
 * a job names its generationId (the tenant acts on each once), and a callback names its generationId and an eventId
 * that the Worker applies once (worker/routes/generations.ts). Several comma-separated v1= values are accepted, so
 * a tenant can sign with two secrets while rotating.
 */
export const TIMESTAMP_HEADER = 'X-Voice-Buddy-Timestamp';
export const SIGNATURE_HEADER = 'X-Voice-Buddy-Signature';
export const REPLAY_WINDOW_S = 300;

const enc = new TextEncoder();

async function hmac(secret: string, text: string): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', enc.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, enc.encode(text)));
}

const toHex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');

function fromHex(hex: string): Uint8Array | null {
  if (!/^[0-9a-f]{64}$/i.test(hex)) return null;
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Compares without an early exit, so the time taken says nothing about how many bytes matched. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** Headers for a body about to be sent; `now` in milliseconds (tests pass an old one). */
export async function signWebhook(secret: string, rawBody: string, now = Date.now()): Promise<Record<string, string>> {
  const timestamp = String(Math.floor(now / 1000));
  const signature = toHex(await hmac(secret, `${timestamp}.${rawBody}`));
  return { [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: `v1=${signature}` };
}

export type VerifyResult = { ok: true } | { ok: false; reason: string };

/** Checks the timestamp window first (cheap), then the signature over the exact bytes received. */
export async function verifyWebhook(
  secret: string,
  rawBody: string,
  timestampHeader: string | null | undefined,
  signatureHeader: string | null | undefined,
  now = Date.now(),
): Promise<VerifyResult> {
  if (!timestampHeader || !signatureHeader) return { ok: false, reason: 'missing signature headers' };
  if (!/^\d{1,12}$/.test(timestampHeader)) return { ok: false, reason: 'malformed timestamp' };
  const age = Math.floor(now / 1000) - Number(timestampHeader);
  if (Math.abs(age) > REPLAY_WINDOW_S) return { ok: false, reason: 'timestamp outside the 5-minute window' };
  const candidates = signatureHeader
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('v1='))
    .map((part) => fromHex(part.slice(3)))
    .filter((bytes): bytes is Uint8Array => bytes !== null);
  if (candidates.length === 0) return { ok: false, reason: 'no v1 signature' };
  const expected = await hmac(secret, `${timestampHeader}.${rawBody}`);
  // Every candidate is compared, so the time does not reveal which one matched.
  let match = false;
  for (const candidate of candidates) match = constantTimeEqual(candidate, expected) || match;
  return match ? { ok: true } : { ok: false, reason: 'signature mismatch' };
}
