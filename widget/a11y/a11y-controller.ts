import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { statusKey, type Locale } from '../i18n/locale.ts';
import type { SessionStore, TranscriptEntry } from '../state/session-store.ts';
import { AnnouncementQueue, type AnnouncementKind } from './announcements.ts';

type Host = ReactiveControllerHost & HTMLElement;

/**
 * Focus and announcements: what the polite live region says (status changes, finished replies, new concepts; queued
 * by a11y/announcements.ts) and where focus goes when the floating panel opens or closes.
 */
export class A11yController implements ReactiveController {
  /** The live region's text. */
  text = '';
  private offs: Array<() => void> = [];
  private readonly queue = new AnnouncementQueue((text) => {
    this.text = text;
    this.host.requestUpdate();
  });

  constructor(
    private readonly host: Host,
    private readonly store: SessionStore,
    /** The element's language now: announcements are made in it. */
    private readonly locale: () => Locale,
  ) {
    host.addController(this);
  }

  /** Statuses may be superseded while they wait; replies and new concepts are always read. */
  announce(text: string, kind: AnnouncementKind = 'status'): void {
    this.queue.push(text, kind);
  }

  /** After the floating panel opened: its first action; after it closed: the launcher. */
  async focusAfterToggle(open: boolean): Promise<void> {
    await this.host.updateComplete;
    const root = this.host.shadowRoot;
    root?.querySelector<HTMLElement>(open ? '[part~="connect-button"]' : '.launcher')?.focus();
  }

  hostConnected(): void {
    const s = this.store;
    let last: readonly TranscriptEntry[] = s.$transcript.get();
    const done = new Set<string>();
    this.offs.push(
      s.$status.listen((status) => this.announce(this.locale().t(statusKey(status, s.$mode.get())))),
      s.$transcript.listen((transcript) => {
        const before = new Set(last);
        last = transcript;
        for (const e of transcript) {
          if (!before.has(e) && e.final && e.kind === 'assistant')
            this.announce(this.locale().t('say.assistant', { text: e.text }), 'message');
        }
      }),
      // A generation that finishes is announced once, with how many concepts it brought.
      s.$generations.listen((generations) => {
        for (const g of generations) {
          if (g.status !== 'done' || done.has(g.id)) continue;
          done.add(g.id);
          const n = g.concepts.length;
          if (n) this.announce(this.locale().t('say.concepts', { n }), 'message');
        }
      }),
    );
  }

  hostDisconnected(): void {
    for (const off of this.offs.splice(0)) off();
    this.queue.clear();
  }
}
