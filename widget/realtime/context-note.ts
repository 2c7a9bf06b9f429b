// The note a new session starts with (seed.ts). The sandbox responder reads it too (worker/realtime/sandbox.ts), so
// a reconnected sandbox conversation keeps its brief: the wording is shared, not copied.
export const CONTEXT_NOTE_PREFIX = '[Context, not a new message: the connection was renewed.';
export const KEYWORDS_LINE = 'The design keywords so far: ';
