// What the conversation's machinery makes for one element's conversation (controllers/conversation.ts keeps the
// rest): the keywords' side, push-to-talk's input, the level meter's style and the avatar's and the speaker's
// runners, once; then a connection for each bootstrap, whose semantic events they follow.
import { WorkerApi } from '../api/endpoints.ts';
import { AvatarRunner } from '../avatar/runner.ts';
import type { Conversation } from '../controllers/conversation.ts';
import { LevelStyle } from '../controllers/level-style.ts';
import { loadPttAudio } from '../controllers/ptt-audio.ts';
import { PushToTalkInput } from '../controllers/push-to-talk.ts';
import { KeywordsController } from '../keywords/controller.ts';
import { SpeechRunner } from '../tts/runner.ts';
import { VoiceConnection } from './connection.ts';
import { addViewStyles, views } from './views.ts';

/** Gives the conversation what only the machinery has; once per element. */
export function equip(c: Conversation): void {
  const { host, store, parts } = c;
  let endpoints: WorkerApi | null = null;
  c.endpoints = () => {
    if (c.api && endpoints?.client !== c.api) endpoints = new WorkerApi(c.api);
    return c.api ? endpoints : null;
  };
  c.keywords = new KeywordsController(host, store, {
    api: () => c.endpoints(),
    session: () => c.connection?.currentSession ?? null,
    sessionId: () => c.connection?.currentLive?.sessionId ?? null,
    uid: () => c.visitorId,
    handoffEnabled: () => store.$config.get()?.flags['keywords.handoff']?.enabled !== false,
    locale: () => parts.i18n.locale,
  });
  c.talk = new PushToTalkInput(host, () => c.connection?.currentLive?.ptt ?? null);
  // Only the machinery's level meter moves the level.
  new LevelStyle(host, store.$level, () => host.renderRoot.querySelector('.meter > span'));
  const locale = () => parts.i18n.locale;
  parts.avatar.runner = new AvatarRunner(parts.avatar, locale);
  parts.speech.runner = new SpeechRunner(parts.speech, locale);
  c.views = views;
  // Added when the element has its shadow root (now, or when it is first put on the page).
  host.addController({ hostConnected: () => host.shadowRoot && addViewStyles(host.shadowRoot) });
  // A page that goes away may stay alive in the back/forward cache, and Chromium then keeps its WebSocket open
  // until the page is restored or evicted (minutes): the relay, and OpenAI behind it, would run for nobody. End the
  // conversation as the page leaves (the transcript stays); a restored page shows it ended. Telemetry and the avatar
  // hear of it first: the session's end is reported as `pagehide`, and the avatar's session closes by beacon. (No
  // machinery, no conversation: telemetry's own pagehide listener reports the rest.)
  const onPageHide = () => {
    parts.telemetry.pageHide();
    parts.avatar.pageHide();
    c.connection?.disconnect();
  };
  host.addController({
    hostConnected: () => window.addEventListener('pagehide', onPageHide),
    hostDisconnected: () => window.removeEventListener('pagehide', onPageHide),
  });
}

/** A connection over this bootstrap's endpoints; the avatar, the speaker and the keywords follow its events. */
export function openConnection(c: Conversation, api: WorkerApi): VoiceConnection {
  const { host, parts } = c;
  const connection = new VoiceConnection({
    api,
    store: c.store,
    host,
    uid: () => c.visitorId,
    model: () => host.model ?? undefined,
    voice: () => host.voice ?? undefined,
    language: () => parts.i18n.language,
    allowedModes: () => c.allowedModes,
    pttAudio: loadPttAudio,
    onStatusReason: (_status, reason) => parts.events.because(reason),
  });
  const on = connection.on.bind(connection);
  parts.avatar.runner?.follow(on);
  parts.speech.runner?.follow(on);
  c.keywords?.answerCalls(on);
  return connection;
}
