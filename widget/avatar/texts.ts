// The avatar's visitor-facing English. It lives in the avatar's chunk, not in the start-up catalogue (en.ts): only a
// running avatar shows it. The other languages have these keys in their catalogues (widget/i18n/lang/); the main
// bundle passes a `text` function that picks the widget's language, since this chunk shares no code with it.

export const AVATAR_TEXT = {
  'avatar.label': 'Talking avatar',
  'avatar.checking': 'Checking whether this device can show the avatar…',
  'avatar.connecting': 'Connecting the avatar…',
  'avatar.thinking': 'Thinking…',
  'avatar.degraded': 'Weak connection: the avatar may stutter.',
  'avatar.closed': 'Avatar closed.',
  'avatar.reconnecting': 'Reconnecting the avatar…',
  'avatar.weak': 'The connection is weak.',
  'avatar.toMedium': 'Lowering the avatar’s video quality to medium.',
  'avatar.toLow': 'Lowering the avatar’s video quality to low.',
  'avatar.continues': 'The conversation continues without the avatar.',
  'avatar.start': 'The avatar could not start.',
  // The performance budget (budget.ts).
  'avatar.cores': 'This device has {cores} processor cores; the avatar needs at least {min}.',
  'avatar.memory': 'This device reports {gb} GB of memory; the avatar needs at least {min} GB.',
  'avatar.slow': 'The connection is too slow for the avatar’s video (about {mbps} Mbps; it needs {min}).',
  'avatar.frames': 'This device cannot keep up with the avatar video (many frames dropped).',
  'avatar.heap': 'The avatar is using more than {mb} MB of memory.',
  // Why it ended, per code; other codes keep the Worker's message (already written for visitors) in English.
  'avatar.quota_exceeded': 'The avatar has reached this site’s limit for the month.',
  'avatar.avatar_credits_exhausted': 'The avatar service has run out of credits; please let the site owner know.',
  'avatar.avatar_busy': 'The avatar service is busy right now; try again in a minute.',
  'avatar.rate_limited': 'Too many avatar requests in a short time; please wait a moment.',
  'avatar.feature_disabled': 'The avatar is switched off on this site right now.',
  'avatar.avatar_not_enabled': 'This site does not offer the avatar.',
  'avatar.avatar_unavailable': 'The avatar is not set up on this server.',
  'avatar.avatar_timeout': 'The avatar took too long to start.',
  'avatar.avatar_failed': 'The avatar service could not start the avatar.',
  'avatar.avatar_sdk_failed': 'The avatar’s video player could not be loaded.',
  'avatar.avatar_join_timeout': 'The avatar’s video could not connect within a few seconds.',
  'avatar.avatar_join_failed': 'The avatar’s video could not connect.',
  'avatar.avatar_not_published': 'The avatar did not appear in time.',
  'avatar.avatar_silent': 'The avatar stopped speaking.',
  'avatar.avatar_refused': 'The avatar service ended the session.',
  'avatar.avatar_connection_lost': 'The connection to the avatar was lost.',
  'avatar.avatar_left': 'The avatar session ended.',
  'avatar.avatar_token_expired': 'The avatar session expired.',
  'avatar.network_quality': 'The connection stayed too weak for the avatar.',
};

export type AvatarKey = keyof typeof AVATAR_TEXT;
export type TextParams = Readonly<Record<string, string | number>>;
/** `Locale.t` with the English: the text of `key` in the widget's language, `english` when it has none. */
export type AvatarText = (key: AvatarKey, english: string, params?: TextParams) => string;
/** A text still to be written in the visitor's language. */
export interface Words {
  key: AvatarKey;
  params?: TextParams;
}

/** Without a widget (tests of the controller alone): the English, filled in. */
export const englishText: AvatarText = (_key, english, params = {}) =>
  english.replace(/\{(\w+)\}/g, (all, name: string) => String(params[name] ?? all));

/** `text` bound to this chunk's English. */
export const sayWith =
  (text: AvatarText) =>
  (words: Words): string =>
    text(words.key, AVATAR_TEXT[words.key], words.params);
