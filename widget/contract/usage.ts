// Part of the contract between the Worker and the widget (widget/contract/): plain values and types, no Worker, DOM
// or library imports. The same token counters on both sides: the widget's `usage` and the Worker's `call_end` line
// (OpenAI's usage maps to them in openai-usage.ts: a module of its own, as the widget's start-up bundle, whose store
// sums these, does not need it; the widget's lazy session and the Worker's call read it).

/** The tokens one response used. */
export interface UsageTokens {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  audioInputTokens: number;
  audioOutputTokens: number;
  cachedTokens: number;
}

/** The tokens of a session's responses, summed, and how many responses there were. */
export interface Usage extends UsageTokens {
  responses: number;
}

export const emptyUsage = (): Usage => ({
  responses: 0,
  inputTokens: 0,
  outputTokens: 0,
  totalTokens: 0,
  audioInputTokens: 0,
  audioOutputTokens: 0,
  cachedTokens: 0,
});

/** `total` with one more response, which used `tokens` (those not given count as 0). */
export const addResponse = (total: Usage, tokens: Partial<UsageTokens>): Usage => ({
  responses: total.responses + 1,
  inputTokens: total.inputTokens + (tokens.inputTokens ?? 0),
  outputTokens: total.outputTokens + (tokens.outputTokens ?? 0),
  totalTokens: total.totalTokens + (tokens.totalTokens ?? 0),
  audioInputTokens: total.audioInputTokens + (tokens.audioInputTokens ?? 0),
  audioOutputTokens: total.audioOutputTokens + (tokens.audioOutputTokens ?? 0),
  cachedTokens: total.cachedTokens + (tokens.cachedTokens ?? 0),
});
