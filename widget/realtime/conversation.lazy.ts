// The conversation's machinery, loaded when the visitor first acts (Start, push-to-talk, a typed message) or shows
// the intent to (Start hovered or focused): the realtime stack (connection, session, transports), the microphone
// and its level, the audio output, and the keywords', push-to-talk's, the avatar's and the speaker's sides of a
// conversation (equip.ts makes them for an element). The first screen needs none of it.
// Self-contained: what it shares with the start-up bundle comes in through provide() (kit.ts), called first.
/** What only a conversation says, in English: added to the page's English before anything here runs. */
export { conversation as english } from '../i18n/en-conversation.ts';
export type { PushToTalkInput } from '../controllers/push-to-talk.ts';
export type { KeywordsController } from '../keywords/controller.ts';
export type { VoiceConnection } from './connection.ts';
export { equip, openConnection } from './equip.ts';
export type { ConversationViews } from './views.ts';
export { provide, type ConversationKit } from './kit.ts';
