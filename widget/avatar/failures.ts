import { AVATAR_TEXT, type AvatarKey, type Words } from './texts.ts';

/**
 * What a visitor reads when the avatar ends, in `say`'s language: the code's own text, else `detail` (a budget
 * verdict's words, or the Worker's message: written for visitors, but in English, so only an English widget shows
 * it), then that the conversation goes on.
 */
export function fallbackMessage(
  code: string,
  detail: string | Words,
  say: (words: Words) => string,
  english: boolean,
): string {
  const key = `avatar.${code}`;
  let why = '';
  if (key in AVATAR_TEXT) why = say({ key: key as AvatarKey });
  else if (typeof detail !== 'string') why = say(detail);
  else if (english) why = detail;
  return `${why || say({ key: 'avatar.start' })} ${say({ key: 'avatar.continues' })}`;
}

/** Reads `code` and `message` off whatever was thrown: the main bundle's error class is not known in this chunk. */
export function describe(error: unknown, fallbackCode: string): { code: string; message: string } {
  const e = error as { code?: unknown; message?: unknown } | null;
  return {
    code: typeof e?.code === 'string' ? e.code : fallbackCode,
    message: typeof e?.message === 'string' ? e.message : '',
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
