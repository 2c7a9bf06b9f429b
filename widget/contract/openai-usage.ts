// Part of the contract between the Worker and the widget (widget/contract/): plain values and types, no Worker, DOM
// or library imports. OpenAI's `response.done` usage in the terms of the token counters (usage.ts).
import type { UsageTokens } from './usage.ts';

/** The fields of OpenAI's `response.done` usage (RealtimeResponseUsage) that the counters read. */
export interface ResponseUsage {
  input_tokens?: number;
  output_tokens?: number;
  total_tokens?: number;
  input_token_details?: { audio_tokens?: number; cached_tokens?: number };
  output_token_details?: { audio_tokens?: number };
}

/** OpenAI's usage of one response in the counters' terms; what it leaves out counts as 0. */
export const usageTokens = (u: ResponseUsage): UsageTokens => ({
  inputTokens: u.input_tokens ?? 0,
  outputTokens: u.output_tokens ?? 0,
  totalTokens: u.total_tokens ?? 0,
  audioInputTokens: u.input_token_details?.audio_tokens ?? 0,
  audioOutputTokens: u.output_token_details?.audio_tokens ?? 0,
  cachedTokens: u.input_token_details?.cached_tokens ?? 0,
});
