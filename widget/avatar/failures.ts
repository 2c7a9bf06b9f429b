/** What a visitor reads, per code; other codes keep the Worker's message (already written for visitors). */
const MESSAGES: Record<string, string> = {
  quota_exceeded: 'The avatar has reached this site’s limit for the month.',
  avatar_credits_exhausted: 'The avatar service has run out of credits; please let the site owner know.',
  avatar_busy: 'The avatar service is busy right now; try again in a minute.',
  rate_limited: 'Too many avatar requests in a short time; please wait a moment.',
  feature_disabled: 'The avatar is switched off on this site right now.',
  avatar_not_enabled: 'This site does not offer the avatar.',
  avatar_unavailable: 'The avatar is not set up on this server.',
  avatar_timeout: 'The avatar took too long to start.',
  avatar_failed: 'The avatar service could not start the avatar.',
  avatar_sdk_failed: 'The avatar’s video player could not be loaded.',
  avatar_join_timeout: 'The avatar’s video could not connect within a few seconds.',
  avatar_join_failed: 'The avatar’s video could not connect.',
  avatar_not_published: 'The avatar did not appear in time.',
  avatar_silent: 'The avatar stopped speaking.',
  avatar_refused: 'The avatar service ended the session.',
  avatar_connection_lost: 'The connection to the avatar was lost.',
  avatar_left: 'The avatar session ended.',
  avatar_token_expired: 'The avatar session expired.',
  network_quality: 'The connection stayed too weak for the avatar.',
};

export function fallbackMessage(code: string, detail: string): string {
  return `${MESSAGES[code] ?? detail} The conversation continues without the avatar.`;
}

/** Reads `code` and `message` off whatever was thrown: the main bundle's error class is not known in this chunk. */
export function describe(error: unknown, fallbackCode: string): { code: string; message: string } {
  const e = error as { code?: unknown; message?: unknown } | null;
  return {
    code: typeof e?.code === 'string' ? e.code : fallbackCode,
    message: typeof e?.message === 'string' && e.message ? e.message : 'The avatar could not start.',
  };
}

export function failure(code: string, cause?: unknown): Error & { code: string } {
  return Object.assign(new Error(code, { cause }), { code });
}

/** Rejects with `failure(code)` when `promise` takes longer than `ms`. */
export function within<T>(promise: Promise<T>, ms: number, code: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(failure(code)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
