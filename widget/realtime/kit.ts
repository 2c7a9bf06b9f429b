// What the conversation's machinery (conversation.lazy.ts: the realtime stack, the microphone and the keywords) takes
// from the start-up bundle instead of bundling its own: the error class (one class, so that `instanceof` holds on
// both sides: the API client throws the start-up's, the connection catches them), the error policy, the lazy loaders
// (one map of chunk names), and small helpers the entry already has. The entry hands them over through provide()
// before it creates anything; these bindings are live.
import type * as Lit from 'lit';
import type * as Errors from '../api/errors.ts';
import type { SCRIPT_URL as ScriptUrl } from '../attributes.ts';
import type { errorPolicy as ErrorPolicy } from '../contract/errors.ts';
import type { MODE_TO_API_MODE as ModeToApiMode } from '../contract/modes.ts';
import type { browserName as BrowserName } from '../controllers/mic.ts';
import type { emit as Emit } from '../events.ts';
import type * as Lazy from '../lazy.ts';

export interface ConversationKit {
  css: typeof Lit.css;
  html: typeof Lit.html;
  nothing: typeof Lit.nothing;
  WidgetError: typeof Errors.WidgetError;
  errorInfo: typeof Errors.errorInfo;
  fromServerError: typeof Errors.fromServerError;
  errorPolicy: typeof ErrorPolicy;
  MODE_TO_API_MODE: typeof ModeToApiMode;
  browserName: typeof BrowserName;
  emit: typeof Emit;
  loadKeywordTools: typeof Lazy.loadKeywordTools;
  loadPcmAudio: typeof Lazy.loadPcmAudio;
  loadAvatar: typeof Lazy.loadAvatar;
  loadSpeech: typeof Lazy.loadSpeech;
  SCRIPT_URL: typeof ScriptUrl;
}

// Set once by provide(), before any of the machinery runs.
export let css: ConversationKit['css'];
export let html: ConversationKit['html'];
export let nothing: ConversationKit['nothing'];
export let WidgetError: ConversationKit['WidgetError'];
export type WidgetError = Errors.WidgetError;
export let errorInfo: ConversationKit['errorInfo'];
export let fromServerError: ConversationKit['fromServerError'];
export let errorPolicy: ConversationKit['errorPolicy'];
export let MODE_TO_API_MODE: ConversationKit['MODE_TO_API_MODE'];
export let browserName: ConversationKit['browserName'];
export let emit: ConversationKit['emit'];
export let loadKeywordTools: ConversationKit['loadKeywordTools'];
export let loadPcmAudio: ConversationKit['loadPcmAudio'];
export let loadAvatar: ConversationKit['loadAvatar'];
export let loadSpeech: ConversationKit['loadSpeech'];
export let SCRIPT_URL: ConversationKit['SCRIPT_URL'];

export function provide(kit: ConversationKit): void {
  ({ css, html, nothing } = kit);
  ({ WidgetError, errorInfo, fromServerError, errorPolicy, MODE_TO_API_MODE, browserName, emit } = kit);
  ({ loadKeywordTools, loadPcmAudio, loadAvatar, loadSpeech, SCRIPT_URL } = kit);
}
