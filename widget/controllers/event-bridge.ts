import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { browserName } from './mic.ts';
import { emit } from '../events.ts';
import type { Locale, Params } from '../i18n/locale.ts';
import type { SessionStore, Status, TranscriptEntry } from '../state/session-store.ts';

/**
 * The store-to-event bridge: status changes, transcript entries and reported errors become the element's
 * `voice-buddy-status-change`, `voice-buddy-transcript` and `voice-buddy-error` (the only place that emits it).
 * Subscribed while the element is on the page.
 */
export class EventBridge implements ReactiveController {
  private offs: Array<() => void> = [];
  private reason: string | undefined;

  constructor(
    private readonly host: ReactiveControllerHost & EventTarget,
    private readonly store: SessionStore,
    /** The element's language now: the page reads an error's message in it. */
    private readonly locale: () => Locale,
  ) {
    host.addController(this);
  }

  /** Why the next status change happens (`reconnecting`, `fallback`, `error`). */
  because(reason: string): void {
    this.reason = reason;
  }

  hostConnected(): void {
    const s = this.store;
    let previous: Status = s.$status.get();
    let last: readonly TranscriptEntry[] = s.$transcript.get();
    this.offs.push(
      s.$status.listen((status) => {
        const reason = this.reason;
        this.reason = undefined;
        emit(this.host, 'voice-buddy-status-change', {
          status,
          previous,
          mode: s.$mode.get(),
          ...(reason ? { reason } : {}),
        });
        previous = status;
      }),
      s.$transcript.listen((transcript) => {
        const before = new Set(last);
        last = transcript;
        for (const entry of transcript)
          if (!before.has(entry)) emit(this.host, 'voice-buddy-transcript', { entry, transcript });
      }),
      s.onError(({ code, message, text, params }) => {
        const words = this.locale().message(text ?? code, message, errorParams(params));
        emit(this.host, 'voice-buddy-error', { code, message: words });
      }),
    );
  }

  hostDisconnected(): void {
    for (const off of this.offs.splice(0)) off();
  }
}

/** Error messages may say how to re-allow the microphone in this browser (`{how}`). */
export function errorParams(params: Params | undefined): Params {
  return { how: { key: `how.${browserName()}` }, ...params };
}
