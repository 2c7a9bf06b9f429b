// Tokens from OpenAI's `response.done` usage, summed per session (relay and hands-free call), for the cost.
import type { RealtimeResponseUsage as Usage } from 'openai/resources/realtime/realtime';
import type { ServerEvent } from './events.ts';

export interface TokenTotals {
  inputTextTokens: number;
  inputAudioTokens: number;
  cachedTokens: number;
  outputTextTokens: number;
  outputAudioTokens: number;
}

export const emptyTokens = (): TokenTotals => ({
  inputTextTokens: 0,
  inputAudioTokens: 0,
  cachedTokens: 0,
  outputTextTokens: 0,
  outputAudioTokens: 0,
});

export function addUsage(t: TokenTotals, usage: Usage | undefined): void {
  if (!usage) return;
  const cached = usage.input_token_details?.cached_tokens ?? 0;
  const audioIn = usage.input_token_details?.audio_tokens ?? 0;
  // Details are optional: what is not said to be audio counts as text (the cheaper rate: never an overestimate).
  t.inputAudioTokens += audioIn;
  t.inputTextTokens += Math.max(0, (usage.input_tokens ?? 0) - audioIn - cached);
  t.cachedTokens += cached;
  const audioOut = usage.output_token_details?.audio_tokens ?? 0;
  t.outputAudioTokens += audioOut;
  t.outputTextTokens += Math.max(0, (usage.output_tokens ?? 0) - audioOut);
}

/** The usage of a relayed server frame when it is a `response.done`; others (audio deltas) are not parsed. */
export function usageOfFrame(data: unknown): Usage | undefined {
  if (typeof data !== 'string' || !data.includes('"response.done"')) return undefined;
  try {
    const event = JSON.parse(data) as { type?: string; response?: { usage?: Usage } };
    return event.type === 'response.done' ? event.response?.usage : undefined;
  } catch {
    return undefined;
  }
}

export const tokensEvent = (t: TokenTotals, mode: ServerEvent['mode']): ServerEvent[] =>
  Object.values(t).some((n) => n > 0) ? [{ name: 'tokens', mode, ...t }] : [];

/** A close reason as a short code: `session_max_bytes: the session …` → `session_max_bytes`. */
export const reasonCode = (reason: string) =>
  reason
    .split(':')[0]!
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '_')
    .slice(0, 48) || 'unknown';
