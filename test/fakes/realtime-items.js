// @ts-check
// The Realtime API's objects as the fakes of OpenAI send them: the Node session (realtime-session.js) and the widget
// tests' scripted peer (test/widget/fakes/openai-peer.ts) both build them here, typed by the official `openai`
// package, so a field the API does not have fails `npm run typecheck`. It uses no Node or DOM API: both load it.
// The product (worker/realtime/sandbox.ts) builds the same objects its own way, from the same types.

/**
 * @import {
 *   RealtimeConversationItemAssistantMessage as AssistantMessage,
 *   RealtimeConversationItemFunctionCall as FunctionCall,
 *   RealtimeResponseUsage,
 * } from 'openai/resources/realtime/realtime'
 * @typedef {'in_progress' | 'completed'} Status
 */

/**
 * The assistant's message item: no content part while it is being added, then its text (a text-only response) or
 * the transcript of its audio.
 * @param {string} id
 * @param {Status} status
 * @param {string | null} [said]
 * @param {{ audio?: boolean }} [how]
 * @returns {AssistantMessage}
 */
export function assistantMessage(id, status, said = null, { audio = true } = {}) {
  /** @type {AssistantMessage['content']} */
  const content = [];
  if (said !== null)
    content.push(audio ? { type: 'output_audio', transcript: said } : { type: 'output_text', text: said });
  return { id, object: 'realtime.item', type: 'message', role: 'assistant', status, content };
}

/**
 * The visitor's committed audio as a user message. Its transcript is null until transcription delivers it: the API
 * sends that null, which the package's type leaves out, so this one is not typed by it.
 * @param {string} id
 */
export function userAudioMessage(id) {
  const content = [{ type: 'input_audio', transcript: null }];
  return { id, object: 'realtime.item', type: 'message', role: 'user', status: 'completed', content };
}

/**
 * A function call item; its arguments arrive as deltas, so they are '' while it is being added.
 * @param {{ id: string, callId: string, name: string }} call
 * @param {Status} status
 * @param {string} args
 * @returns {FunctionCall}
 */
export function functionCallItem({ id, callId, name }, status, args) {
  return { id, object: 'realtime.item', type: 'function_call', status, call_id: callId, name, arguments: args };
}

/**
 * response.done's usage: each total is the sum of its details, as the API counts them.
 * @param {{ inputText: number, inputAudio: number, cached?: number, outputText: number, outputAudio: number }} tokens
 * @returns {RealtimeResponseUsage}
 */
export function responseUsage({ inputText, inputAudio, cached = 0, outputText, outputAudio }) {
  const input_tokens = inputText + inputAudio;
  const output_tokens = outputText + outputAudio;
  return {
    total_tokens: input_tokens + output_tokens,
    input_tokens,
    output_tokens,
    input_token_details: { text_tokens: inputText, audio_tokens: inputAudio, cached_tokens: cached },
    output_token_details: { text_tokens: outputText, audio_tokens: outputAudio },
  };
}
