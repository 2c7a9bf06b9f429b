import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { PushToTalk } from '../realtime/ptt.ts';

type Host = ReactiveControllerHost & HTMLElement;

/**
 * Push-to-talk input: the talk button's pointer (captured, so sliding off still releases) and the Space key while
 * the widget has focus. A turn held with Space ends with its keyup wherever focus went inside the widget, or when
 * focus leaves the widget or the window (then the keyup may never come).
 */
export class PushToTalkInput implements ReactiveController {
  private pointer: number | null = null;
  private spaceHeld = false;

  constructor(
    private readonly host: Host,
    /** The live push-to-talk turn switch, when the conversation has one. */
    private readonly ptt: () => PushToTalk | null,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener('blur', this.onFocusLost);
  }

  hostDisconnected(): void {
    window.removeEventListener('blur', this.onFocusLost);
  }

  readonly onPointerDown = (e: PointerEvent): void => {
    if (e.button !== 0 || this.pointer !== null) return;
    e.preventDefault();
    this.pointer = e.pointerId;
    try {
      (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
    } catch {
      /* a pointer the browser does not track (synthetic) cannot be captured */
    }
    this.talk('press');
  };

  readonly onPointerUp = (e: PointerEvent): void => {
    if (e.pointerId !== this.pointer) return;
    this.pointer = null;
    this.talk(e.type === 'pointerup' ? 'release' : 'cancel');
  };

  /** Returns true when the key was push-to-talk's. */
  onKeydown(e: KeyboardEvent): boolean {
    if (!this.isSpaceForTalk(e)) return false;
    e.preventDefault();
    if (!e.repeat) {
      this.spaceHeld = true;
      this.talk('press');
    }
    return true;
  }

  onKeyup(e: KeyboardEvent): void {
    if (e.key !== ' ' || !(this.spaceHeld || this.isSpaceForTalk(e))) return;
    e.preventDefault();
    this.spaceHeld = false;
    this.talk('release');
  }

  readonly onFocusLost = (e: FocusEvent): void => {
    if (!this.spaceHeld) return;
    const next = e.relatedTarget as Node | null;
    if (e.type === 'focusout' && next && (this.host.contains(next) || this.host.shadowRoot?.contains(next))) return;
    this.spaceHeld = false;
    this.talk('release');
  };

  private isSpaceForTalk(e: KeyboardEvent): boolean {
    if (e.key !== ' ' || !this.ptt()) return false;
    const target = e.composedPath()[0] as HTMLElement | undefined;
    if (!target) return false;
    if (target.matches('input, textarea, select, [contenteditable]')) return false;
    // Space on another button keeps its native meaning (press that button).
    return !(target.matches('button') && !target.matches('[part~="talk-button"]'));
  }

  /** A press interrupts the reply (RealtimeSession's one barge-in entry point): the avatar stops talking too. */
  private talk(action: 'press' | 'release' | 'cancel'): void {
    const ptt = this.ptt();
    if (!ptt) return;
    if (action === 'press') ptt.press();
    else void (action === 'release' ? ptt.release() : ptt.cancel()).then(() => this.host.requestUpdate());
    this.host.requestUpdate();
  }
}
