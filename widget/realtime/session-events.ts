// The semantic events of a conversation (RealtimeSession decodes the server's events once and emits these). Types
// only: the lazy chunks (avatar, speech) import them without pulling in the session.
import type { UsageTokens } from '../contract/usage.ts';
import type { Status } from '../state/session-store.ts';

/** A piece of the assistant's reply: typed text (`text`) or the transcript of its spoken audio (`audio`). */
export interface AssistantDelta {
  responseId: string;
  itemId: string;
  delta: string;
  source: 'text' | 'audio';
}

export interface AssistantDone {
  responseId: string;
  itemId: string;
  text: string;
  source: 'text' | 'audio';
}

/** A completed function call of the model; `answer` sends its output to the session that asked. */
export interface FunctionCall {
  name: string;
  callId: string;
  arguments: string;
  /** `respond` (default true) asks for a follow-up response once the one that made the call has ended. */
  answer(output: unknown, respond?: boolean): void;
}

export interface SessionEvents extends Record<string, unknown> {
  'assistant-delta': AssistantDelta;
  'assistant-done': AssistantDone;
  /** A response ended (completed, cancelled or failed). */
  'reply-done': { responseId: string | null };
  /** The visitor spoke, pressed to talk or sent text: whatever speaks the reply stops now. */
  'barge-in': { by: 'speech' | 'press' | 'text' };
  'function-call': FunctionCall;
  /** The tokens one response used. */
  usage: UsageTokens;
  /**
   * A server `error` the visitor should hear about (the session goes on); `message` is written for people (English),
   * `text` names its catalogue message `err.<text>`.
   */
  error: { code: string; message: string; text: string };
  /** Status changes the session decides (listening, thinking, speaking). */
  status: Status;
}

/**
 * Whatever speaks the assistant's replies (the avatar, the text-mode speaker): it follows them and stops on barge-in.
 */
export interface ReplyFollower {
  onAssistantDelta(delta: AssistantDelta): void;
  onReplyDone(responseId: string | null): void;
  onBargeIn(): void;
}

/** Subscribes to a conversation's semantic events (a connection's `on`); returns the unsubscribe. */
export type SessionEventSource = <K extends keyof SessionEvents>(
  type: K,
  listener: (payload: SessionEvents[K]) => void,
) => () => void;

/** Subscribes a follower to a conversation's replies; returns the unsubscribe. */
export function followReplies(on: SessionEventSource, follower: () => ReplyFollower | null): () => void {
  const offs = [
    on('assistant-delta', (d) => follower()?.onAssistantDelta(d)),
    on('reply-done', ({ responseId }) => follower()?.onReplyDone(responseId)),
    on('barge-in', () => follower()?.onBargeIn()),
  ];
  return () => offs.forEach((off) => off());
}
