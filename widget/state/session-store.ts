import { atom, type ReadableAtom } from 'nanostores';
import type { BootstrapResponse } from '../../worker/api-types.ts';
import type { Mode } from '../contract/modes.ts';
import { addResponse, emptyUsage, type Usage, type UsageTokens } from '../contract/usage.ts';
import type { MessageKey } from '../i18n/en.ts';
import { ENGLISH, type Params } from '../i18n/locale.ts';
import type { Keywords } from '../keywords/types.ts';

export type Status =
  'idle' | 'connecting' | 'listening' | 'thinking' | 'speaking' | 'reconnecting' | 'fallback' | 'error';
export type { Mode, Usage };
export type EntryKind = 'user' | 'assistant' | 'tool' | 'notice';

export interface TranscriptEntry {
  id: string;
  kind: EntryKind;
  text: string;
  /** False while deltas are still arriving. */
  final: boolean;
  /** True while the entry only holds its place (a visitor's words not transcribed yet). */
  placeholder?: boolean;
  /** A typed message that waits for the connection (`pending`) or could not be sent (`failed`, with a retry). */
  delivery?: 'pending' | 'failed';
  at: number;
  tone?: 'info' | 'warning' | 'error';
  /** A notice from the catalogue: shown in the widget's language (`text` is its English). */
  i18n?: { key: MessageKey; params?: Params };
}

export interface RateLimit {
  name: string;
  limit: number;
  remaining: number;
  resetSeconds: number;
}

/**
 * A failure as reported to the page: `message` is English; `text` names the catalogue's `err.<text>` when it is not
 * `err.<code>`, `params` fill it in (the element reports it in its own language).
 */
export interface ReportedError {
  code: string;
  message: string;
  text?: string;
  params?: Params;
}

export interface ErrorInfo {
  code: string;
  /** English; the widget shows the catalogue's `err.<text ?? code>` with `params`. */
  message: string;
  retryable: boolean;
  text?: string;
  params?: Params;
}

export interface Concept {
  index: number;
  imageUrl: string;
  alt: string;
}

export interface Generation {
  id: string;
  keywords: Keywords;
  status: 'starting' | 'queued' | 'running' | 'done' | 'error';
  percent: number;
  stage: string;
  concepts: Concept[];
  error?: string;
  /** The error's code: the widget shows the catalogue's `err.<code>` when it has one, else `error`. */
  errorCode?: string;
}

/** Where a new entry goes in the conversation: after the entry of `after`; `isItem` tells conversation items apart. */
export interface Placement {
  after: string | null;
  isItem: (id: string) => boolean;
}

/**
 * Everything one <voice-buddy> knows, as nanostores created per element instance (never module singletons):
 * two widgets on one page share nothing. Elements only render these; the connection writes them.
 */
export function createSessionStore() {
  const $status = atom<Status>('idle');
  const $transcript = atom<readonly TranscriptEntry[]>([]);
  const $usage = atom<Usage>(emptyUsage());
  const $rateLimits = atom<readonly RateLimit[]>([]);
  const $config = atom<BootstrapResponse | null>(null);
  const $error = atom<ErrorInfo | null>(null);
  const $muted = atom(false);
  const $micPermission = atom<PermissionState | 'unknown'>('unknown');
  const $needsAudioUnlock = atom(false);
  const $mode = atom<Mode>('hands-free');
  /** Microphone input level 0..1, updated by the level meter while listening. */
  const $level = atom(0);
  /** Set when the widget stepped down from a better mode, so it can offer to try that mode again. */
  const $fallback = atom<{ from: Mode; reason: string } | null>(null);
  /** The design keywords of the current idea (null until the first extraction). */
  const $keywords = atom<Keywords | null>(null);
  /** The model's words for the motifs in the conversation's language (English word -> label): display only. */
  const $keywordLabels = atom<Readonly<Record<string, string>>>({});
  /** Concept generations, oldest first; refining starts a new one and keeps the earlier ones. */
  const $generations = atom<readonly Generation[]>([]);
  /** How many concepts there are in all: what the panel's summary row shows (a progress tick leaves it alone). */
  const $conceptCount = atom(0);
  $generations.listen((gs) => $conceptCount.set(gs.reduce((n, g) => n + g.concepts.length, 0)));

  let noticeSeq = 0;
  const errorListeners = new Set<(error: ReportedError) => void>();

  /**
   * A new entry placed by the conversation's own order goes after `place.after`, past the entries that follow it
   * without being conversation items (notes, notices), and before the first later item; otherwise at the end.
   */
  function upsert(
    id: string,
    kind: EntryKind,
    update: (previous: TranscriptEntry | undefined) => Partial<TranscriptEntry>,
    place?: Placement,
  ) {
    const list = $transcript.get();
    const index = list.findIndex((e) => e.id === id);
    const previous = index >= 0 ? list[index] : undefined;
    const next: TranscriptEntry = {
      id,
      kind,
      text: '',
      final: false,
      at: Date.now(),
      ...previous,
      ...update(previous),
    };
    if (index >= 0) {
      $transcript.set(list.map((e, i) => (i === index ? next : e)));
      return next;
    }
    const anchor = place?.after ? list.findIndex((e) => e.id === place.after) : -1;
    let at = list.length;
    if (place && anchor >= 0) {
      at = anchor + 1;
      while (at < list.length && !place.isItem(list[at]!.id)) at++;
    }
    $transcript.set([...list.slice(0, at), next, ...list.slice(at)]);
    return next;
  }

  return {
    $status,
    $transcript,
    $usage,
    $rateLimits,
    $config,
    $error,
    $muted,
    $micPermission,
    $needsAudioUnlock,
    $mode,
    $level,
    $fallback,
    $keywords,
    $keywordLabels,
    $generations,
    $conceptCount,
    updateGeneration(id: string, update: (g: Generation) => Partial<Generation>) {
      $generations.set($generations.get().map((g) => (g.id === id ? { ...g, ...update(g) } : g)));
    },
    appendDelta(id: string, kind: EntryKind, delta: string, place?: Placement) {
      return upsert(
        id,
        kind,
        (prev) => ({ text: (prev?.placeholder ? '' : (prev?.text ?? '')) + delta, final: false, placeholder: false }),
        place,
      );
    },
    setText(id: string, kind: EntryKind, text: string, final = true, place?: Placement) {
      return upsert(id, kind, () => ({ text, final, placeholder: false }), place);
    },
    /** A tool's line from the catalogue (`text` is its English), shown in the widget's language. */
    setToolNote(id: string, key: MessageKey, params: Params) {
      return upsert(id, 'tool', () => ({
        text: ENGLISH.t(key, params),
        final: true,
        placeholder: false,
        i18n: { key, params },
      }));
    },
    setDelivery(id: string, delivery: TranscriptEntry['delivery']) {
      const list = $transcript.get();
      const entry = list.find((e) => e.id === id);
      if (!entry || entry.delivery === delivery) return;
      const { delivery: _old, ...rest } = entry;
      const next: TranscriptEntry = delivery ? { ...rest, delivery } : rest;
      $transcript.set(list.map((e) => (e === entry ? next : e)));
    },
    /** A message whose words are still on their way (a visitor's speech before its transcript): holds its place. */
    reserve(id: string, kind: EntryKind, place?: Placement) {
      if ($transcript.get().some((e) => e.id === id)) return;
      upsert(id, kind, () => ({ text: '…', final: false, placeholder: true }), place);
    },
    addNotice(text: string, tone: TranscriptEntry['tone'] = 'info', i18n?: TranscriptEntry['i18n']) {
      return upsert(`notice-${++noticeSeq}`, 'notice', () =>
        i18n ? { text, final: true, tone, i18n } : { text, final: true, tone },
      );
    },
    /** A notice from the catalogue (widget/i18n/en.ts), shown in the widget's language. */
    note(key: MessageKey, tone: TranscriptEntry['tone'] = 'info', params?: Params) {
      return this.addNotice(ENGLISH.t(key, params), tone, params ? { key, params } : { key });
    },
    /**
     * Tells the page about a failure: every part of the widget reports here, and the element's event bridge turns it
     * into the one `voice-buddy-error` (widget/controllers/event-bridge.ts). Showing it is the caller's business.
     */
    reportError(code: string, message: string, words: { text?: string; params?: Params } = {}) {
      const error: ReportedError = {
        code,
        message,
        ...(words.text ? { text: words.text } : {}),
        ...(words.params ? { params: words.params } : {}),
      };
      for (const listener of [...errorListeners]) listener(error);
    },
    onError(listener: (error: ReportedError) => void): () => void {
      errorListeners.add(listener);
      return () => errorListeners.delete(listener);
    },
    addUsage(u: Partial<UsageTokens>) {
      $usage.set(addResponse($usage.get(), u));
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
export type { ReadableAtom };
