import { record } from '../analytics/record.ts';
import { ApiError } from '../errors.ts';
import type { Env } from '../env.ts';

export const DEFAULT_TIMEOUT_MS = 10_000;

export function upstreamTimeout(env: Env): number {
  const ms = Number(env.UPSTREAM_TIMEOUT_MS);
  return Number.isFinite(ms) && ms > 0 ? ms : DEFAULT_TIMEOUT_MS;
}

/**
 * Calls a provider with a timeout and maps its failures onto our error codes. The provider's body is never passed
 * through: it may echo request details, and its wording is not ours to show.
 */
export async function callProvider(
  provider: string,
  url: string,
  init: RequestInit,
  timeoutMs: number,
): Promise<Response> {
  let res: Response;
  const fact = providerFact(provider);
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    const name = (e as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      fact(false, 'provider_timeout');
      throw new ApiError(
        504,
        'provider_timeout',
        `${provider} did not answer within ${Math.round(timeoutMs / 1000)} s`,
      );
    }
    fact(false, 'provider_unreachable');
    throw new ApiError(502, 'provider_unreachable', `${provider} could not be reached`);
  }
  fact(res.ok, `http_${res.status}`);
  if (res.ok) return res;
  logProviderError(provider, url, res.status, await providerErrorFields(res));
  throw providerError(provider, res);
}

/**
 * Starts timing one provider call; the function it returns records its latency and outcome (`http_<status>`,
 * `provider_timeout`, `provider_unreachable`) for analytics, inside a tenant's request only, after its response.
 * Every provider call goes through it (callProvider here, and the ElevenLabs and Akool clients).
 */
export function providerFact(provider: string): (ok: boolean, code: string) => void {
  const started = Date.now();
  return (ok, code) =>
    record({ name: 'provider_call', provider: providerCode(provider), ms: Date.now() - started, ok, code });
}

/** "The image webhook" → "image_webhook": a provider's display name as an analytics code. */
const providerCode = (provider: string) =>
  provider
    .replace(/^the\s+/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '')
    .slice(0, 48) || 'provider';

/**
 * What a provider's error body says about the cause, for the logs: OpenAI's `error.{type, code, param}`. Its
 * `message` is left out: it can echo what was sent (a visitor's words, a prompt) and, for a bad key, part of the key.
 */
export async function providerErrorFields(
  res: Response,
): Promise<{ type: string | null; code: string | null; param: string | null }> {
  const none = { type: null, code: null, param: null };
  try {
    const text = (await res.text()).slice(0, 16_384);
    const error = (JSON.parse(text) as { error?: Record<string, unknown> }).error;
    if (!error || typeof error !== 'object') return none;
    const str = (v: unknown) => (typeof v === 'string' && /^[\w.[\]-]{1,80}$/.test(v) ? v : null);
    return { type: str(error.type), code: str(error.code), param: str(error.param) };
  } catch {
    return none;
  }
}

/** One line per failed provider call: which endpoint (no query), the status and the provider's code and param. */
export function logProviderError(
  provider: string,
  url: string,
  status: number,
  fields: { type: string | null; code: string | null; param: string | null },
): void {
  let endpoint = url;
  try {
    endpoint = new URL(url).pathname;
  } catch {
    /* keep what we have */
  }
  console.warn(JSON.stringify({ event: 'provider_error', provider, endpoint, status, ...fields }));
}

export function providerError(provider: string, res: Response): ApiError {
  if (res.status === 401 || res.status === 403) {
    return new ApiError(
      502,
      'provider_auth_failed',
      `${provider} refused the server's credentials; the site owner must check its API key`,
    );
  }
  if (res.status === 429) {
    const retry = retryAfterSeconds(res.headers.get('retry-after'));
    return new ApiError(503, 'provider_busy', `${provider} is busy right now; try again in ${retry} s`, undefined, {
      'Retry-After': String(retry),
    });
  }
  if (res.status >= 500)
    return new ApiError(502, 'provider_error', `${provider} had an internal error (${res.status})`);
  return new ApiError(502, 'provider_rejected', `${provider} rejected the request (${res.status})`);
}

function retryAfterSeconds(value: string | null): number {
  const n = Number(value);
  if (Number.isFinite(n) && n >= 0) return Math.min(3600, Math.ceil(n));
  const date = value ? Date.parse(value) : NaN;
  if (Number.isFinite(date)) return Math.max(1, Math.min(3600, Math.ceil((date - Date.now()) / 1000)));
  return 5;
}
