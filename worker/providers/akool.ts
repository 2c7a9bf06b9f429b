// Akool live avatar (v4), server side: create, detail, close (Akool's published docs). The key stays here; the
// browser only ever receives the Agora credentials Akool mints for the session.
import type { Env } from '../env.ts';
import { ApiError } from '../errors.ts';
import { providerError, providerFact, upstreamTimeout } from './upstream.ts';

const PROVIDER = 'Akool';
export const AKOOL_DEFAULT_BASE = 'https://openapi.akool.com';

/** `data.status` of a session: 1 queueing, 2 processing, 3 completed, 4 failed. */
export const AkoolStatus = { QUEUEING: 1, PROCESSING: 2, COMPLETED: 3, FAILED: 4 } as const;

export interface AgoraCredentials {
  appId: string;
  channel: string;
  token: string;
  uid: number;
}

export interface CreatedSession {
  akoolId: string;
  status: number;
  /** Null when the session is already failed or over: there is nothing to join. */
  agora: AgoraCredentials | null;
}

// Akool answers HTTP 200 with a business `code` (1000 = success) for most failures. These are the codes of its
// published error table that need a meaning of their own here; every other one is a plain provider error.
const BUSY_CODES = new Set([1005 /* frequent operation */, 1215 /* liveAvatar processing is busy */]);
const CREDIT_CODES = new Set([
  1006 /* insufficient quota balance */, 1103 /* not paid or overdue */, 1104 /* insufficient credit balance */,
  1213 /* requires a subscription */, 1221 /* account not subscribed */,
]);
const AUTH_CODES = new Set([
  1101 /* illegal token */, 1102 /* token empty */, 1109 /* account missing */, 1200 /* blocked */,
]);
/** Codes that mean the avatar (or another named resource) does not exist or was refused as a parameter. */
export const NOT_FOUND_CODES = new Set([
  1003 /* parameter error */, 1008 /* content not exist */, 1014 /* resource not exist */,
]);
/** Codes that mean the session is already over at Akool: a close has nothing left to do. */
const GONE_CODES = new Set([1216 /* session not exist */, 1219 /* liveAvatar closed */]);

const DEFAULT_BUSY_RETRY_S = 10;

/** An Akool business-code failure, mapped to our error but keeping the code for the caller's decisions. */
export class AkoolError extends ApiError {
  constructor(
    status: ConstructorParameters<typeof ApiError>[0],
    code: string,
    message: string,
    readonly akoolCode: number | null,
    headers?: Record<string, string>,
  ) {
    super(status, code, message, akoolCode === null ? undefined : { akoolCode }, headers);
  }
}

const busy = (retryAfter: number, akoolCode: number | null) =>
  new AkoolError(
    503,
    'avatar_busy',
    `The avatar service is busy right now; try again in ${retryAfter} s. The voice conversation goes on.`,
    akoolCode,
    {
      'Retry-After': String(retryAfter),
    },
  );
const creditsExhausted = (akoolCode: number | null) =>
  new AkoolError(
    402,
    'avatar_credits_exhausted',
    "The site's avatar credits are used up; the voice conversation goes on without the avatar.",
    akoolCode,
  );

function retryAfter(res: Response): number {
  const n = Number(res.headers.get('retry-after'));
  return Number.isFinite(n) && n > 0 ? Math.min(3600, Math.ceil(n)) : DEFAULT_BUSY_RETRY_S;
}

export function akoolBase(env: Env): string {
  return (env.AKOOL_BASE_URL || AKOOL_DEFAULT_BASE).replace(/\/+$/, '');
}

/** Maps one Akool business code to our error. Never carries Akool's `msg`: its wording is not ours to show. */
export function akoolCodeError(code: number | null, res?: Response): AkoolError {
  if (code !== null && BUSY_CODES.has(code)) return busy(res ? retryAfter(res) : DEFAULT_BUSY_RETRY_S, code);
  if (code !== null && CREDIT_CODES.has(code)) return creditsExhausted(code);
  if (code !== null && AUTH_CODES.has(code)) {
    return new AkoolError(
      502,
      'provider_auth_failed',
      `${PROVIDER} refused the server's credentials; the site owner must check its API key`,
      code,
    );
  }
  if (code !== null && GONE_CODES.has(code))
    return new AkoolError(410, 'avatar_session_gone', 'The avatar session is already over', code);
  return new AkoolError(502, 'provider_error', `${PROVIDER} refused the request (code ${code ?? 'missing'})`, code);
}

/** One call: HTTP failures and business codes become ApiErrors; success yields `data`. */
async function akoolCall(
  env: Env,
  path: string,
  init: RequestInit,
  timeoutMs = upstreamTimeout(env),
): Promise<unknown> {
  let res: Response;
  const fact = providerFact(PROVIDER);
  try {
    res = await fetch(`${akoolBase(env)}${path}`, {
      ...init,
      // Akool's direct API-key scheme. (`Authorization: Bearer` is for tokens minted by its legacy /getToken.)
      headers: { 'x-api-key': env.AKOOL_API_KEY ?? '', ...(init.body ? { 'Content-Type': 'application/json' } : {}) },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    const name = (e as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      fact(false, 'provider_timeout');
      throw new ApiError(
        504,
        'provider_timeout',
        `${PROVIDER} did not answer within ${Math.round(timeoutMs / 100) / 10} s`,
      );
    }
    fact(false, 'provider_unreachable');
    throw new ApiError(502, 'provider_unreachable', `${PROVIDER} could not be reached`);
  }
  fact(res.ok, `http_${res.status}`);
  if (res.status === 429) {
    await res.body?.cancel().catch(() => {});
    throw busy(retryAfter(res), null);
  }
  if (res.status === 402) {
    await res.body?.cancel().catch(() => {});
    throw creditsExhausted(null);
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => {});
    throw providerError(PROVIDER, res);
  }
  let body: { code?: unknown; data?: unknown };
  try {
    body = await res.json<typeof body>();
  } catch {
    throw new ApiError(502, 'provider_error', `${PROVIDER} answered with something that is not JSON`);
  }
  const code = typeof body?.code === 'number' ? body.code : null;
  if (code === 1000) return body.data;
  throw akoolCodeError(code, res);
}

const malformed = (what: string) => new ApiError(502, 'provider_error', `${PROVIDER}'s answer lacked ${what}`);

function readAgora(data: unknown): AgoraCredentials {
  const cred = (data as { credentials?: Record<string, unknown> } | null)?.credentials;
  const { agora_app_id: appId, agora_channel: channel, agora_token: token, agora_uid: uid } = cred ?? {};
  if (
    typeof appId !== 'string' ||
    !appId ||
    typeof channel !== 'string' ||
    !channel ||
    typeof token !== 'string' ||
    !token
  ) {
    throw malformed('the Agora credentials');
  }
  const numericUid = typeof uid === 'number' ? uid : Number(uid);
  if (!Number.isInteger(numericUid) || numericUid < 0) throw malformed('the Agora uid');
  return { appId, channel, token, uid: numericUid };
}

/**
 * Creates a session in "retelling" mode (mode_type 1): the avatar speaks the text the widget sends it, since the
 * conversation itself is OpenAI's. Akool pre-charges credits for the whole `duration`.
 */
export async function createAvatarSession(
  env: Env,
  opts: { avatarId: string; durationSeconds: number },
): Promise<CreatedSession> {
  const data = await akoolCall(env, '/api/open/v4/liveAvatar/session/create', {
    method: 'POST',
    body: JSON.stringify({
      avatar_id: opts.avatarId,
      duration: opts.durationSeconds,
      mode_type: 1,
      stream_type: 'agora',
    }),
  }).catch((e: unknown) => {
    // "Session gone" means nothing for a create: it is just another refusal.
    if (e instanceof AkoolError && e.code === 'avatar_session_gone') {
      throw new AkoolError(502, 'provider_error', `${PROVIDER} refused the request (code ${e.akoolCode})`, e.akoolCode);
    }
    throw e;
  });
  const d = data as { _id?: unknown; status?: unknown } | null;
  if (typeof d?._id !== 'string' || !d._id) throw malformed('a session id');
  const status = typeof d.status === 'number' ? d.status : AkoolStatus.QUEUEING;
  const over = status === AkoolStatus.FAILED || status === AkoolStatus.COMPLETED;
  return { akoolId: d._id, status, agora: over ? null : readAgora(data) };
}

/** `session/detail`: the status (1-4) and the raw data; a session Akool no longer knows counts as completed. */
async function sessionDetail(
  env: Env,
  akoolId: string,
  timeoutMs?: number,
): Promise<{ status: number; data: unknown }> {
  let data: unknown;
  try {
    data = await akoolCall(
      env,
      `/api/open/v4/liveAvatar/session/detail?id=${encodeURIComponent(akoolId)}`,
      { method: 'GET' },
      timeoutMs,
    );
  } catch (e) {
    if (e instanceof AkoolError && e.code === 'avatar_session_gone')
      return { status: AkoolStatus.COMPLETED, data: null };
    throw e;
  }
  const status = (data as { status?: unknown } | null)?.status;
  if (typeof status !== 'number') throw malformed('the session status');
  return { status, data };
}

/** The session's status: 1 queueing, 2 processing, 3 completed, 4 failed. */
export async function avatarSessionStatus(env: Env, akoolId: string, timeoutMs?: number): Promise<number> {
  return (await sessionDetail(env, akoolId, timeoutMs)).status;
}

/**
 * The status and, while the session runs, fresh Agora credentials for the same channel and uid: a new token, as
 * Agora tokens live about 5 minutes and sessions up to an hour.
 */
export async function avatarSessionCredentials(
  env: Env,
  akoolId: string,
): Promise<{ status: number; agora: AgoraCredentials | null }> {
  const { status, data } = await sessionDetail(env, akoolId);
  const running = status === AkoolStatus.QUEUEING || status === AkoolStatus.PROCESSING;
  return { status, agora: running ? readAgora(data) : null };
}

/** Closes a session; closing one that is already over is a success, so a close can be repeated safely. */
export async function closeAvatarSession(env: Env, akoolId: string): Promise<void> {
  try {
    await akoolCall(env, '/api/open/v4/liveAvatar/session/close', {
      method: 'POST',
      body: JSON.stringify({ id: akoolId }),
    });
  } catch (e) {
    if (e instanceof AkoolError && e.code === 'avatar_session_gone') return;
    throw e;
  }
}
