// The note a new session starts with (seed.ts). The sandbox responder recognises it (worker/realtime/sandbox.ts), so
// it is not taken for something the visitor said: the wording is shared, not copied.
export const CONTEXT_NOTE_PREFIX = '[Context, not a new message: the connection was renewed.';
