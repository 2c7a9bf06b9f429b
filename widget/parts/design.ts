// Start-up side of the design area's lazy parts (design.lazy.ts): loads them once, when a conversation starts or
// keywords or concepts arrive, and hands them the entry's Lit and session helpers. Until then the element renders
// their tags undefined (empty); defining them upgrades what is already in the page.
import { css, html, LitElement, nothing, svg, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import { defineOnce } from '../define.ts';
import { emit } from '../events.ts';
import { loadDesignParts } from '../lazy.ts';
import { VIEWER_PARTS } from './concept-gallery/viewer-parts.ts';
import type { PartsKit } from './design.lazy.ts';
import type { SessionStore } from '../state/session-store.ts';
import { SessionConsumer } from '../state/session-consumer.ts';
import { addEnglish } from '../i18n/english.ts';
import { LocaleConsumer } from '../i18n/locale-controller.ts';

let defined: Promise<void> | null = null;

/** Resolves once the chips, the gallery and the viewer are defined; a failed load warns, and is tried again. */
export function defineDesignParts(): Promise<void> {
  defined ??= loadDesignParts()
    .then((parts) => {
      const kit: PartsKit = {
        LitElement,
        css,
        html,
        nothing,
        svg,
        keyed,
        SessionConsumer,
        defineOnce,
        emit,
        VIEWER_PARTS,
        LocaleConsumer,
      };
      addEnglish(parts.english);
      return parts.defineDesignParts(kit);
    })
    .catch((err: unknown) => {
      defined = null;
      console.warn('voice-buddy: could not load the keyword chips and the concept gallery', err);
    });
  return defined;
}

/** Defines the design parts as soon as the element's store has keywords or a generation to show. */
export class DesignPartsLoader implements ReactiveController {
  private unsubscribers: Array<() => void> = [];

  constructor(
    host: ReactiveControllerHost,
    private readonly store: SessionStore,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    const check = () => {
      if (this.store.$keywords.get() || this.store.$generations.get().length) void defineDesignParts();
    };
    this.unsubscribers = [this.store.$keywords.subscribe(check), this.store.$generations.subscribe(check)];
  }

  hostDisconnected(): void {
    for (const off of this.unsubscribers) off();
    this.unsubscribers = [];
  }
}
