export {
  AVATAR_STATES,
  AVATAR_TRANSITIONS,
  AvatarStateMachine,
  InvalidTransitionError,
  canTransition,
} from './state-machine.ts';
export type {
  AvatarState,
  AvatarStateChange,
  AvatarStateListener,
  AvatarStateMachineOptions,
} from './state-machine.ts';
export { SentenceSplitter, DEFAULT_ABBREVIATIONS, DEFAULT_NUMBER_ABBREVIATIONS } from './sentences.ts';
export type { SentenceSplitterOptions } from './sentences.ts';
export { chunkUtf8, chunkByCost, utf8Cost, jsonStringCost } from './chunker.ts';
export type { CodePointCost } from './chunker.ts';
export { AvatarMessageQueue, SlidingWindow, MAX_STREAM_MESSAGE_BYTES } from './message-queue.ts';
export type {
  AkoolChatMessage,
  AkoolCommandMessage,
  AvatarMessageQueueOptions,
  AvatarMessageQueueStats,
  SentenceSent,
} from './message-queue.ts';
