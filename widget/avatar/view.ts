import type { AvatarState } from './state-machine.ts';
import type { AvatarKey, Words } from './texts.ts';

// Plain DOM, no Lit: the lazy chunk must not pull in (or share) the main bundle's code. The container is the
// element's `part="avatar"` in its shadow root, so this stylesheet stays inside the widget. The video is capped at
// 200 px high (140 px on a phone) and centred: in the default 480 px panel a taller one left the transcript no room.
const CSS = `
[part~="avatar"] { margin: 0 0 8px; }
.vb-avatar { position: relative; aspect-ratio: 4 / 3; max-height: min(40vh, 200px); margin-inline: auto; overflow: hidden; border-radius: calc(var(--voice-buddy-radius, 14px) - 4px); background: #111827; color: #f9fafb; }
.vb-avatar-video, .vb-avatar-video > div, .vb-avatar video { position: absolute; inset: 0; width: 100%; height: 100%; object-fit: cover; }
.vb-avatar-overlay { position: absolute; inset: auto 0 0 0; margin: 0; padding: 8px 12px; font-size: 0.87em; background: rgb(17 24 39 / 0.72); }
.vb-avatar-overlay:empty { display: none; }
.vb-avatar[data-state="connecting"] .vb-avatar-overlay, .vb-avatar[data-state="checking"] .vb-avatar-overlay { inset: 0; display: grid; place-items: center; text-align: center; }
.vb-avatar[data-state="error"] .vb-avatar-overlay { background: rgb(127 29 29 / 0.85); }
@media (max-width: 480px) { .vb-avatar { max-height: 140px; } }
`;

const TEXT: Partial<Record<AvatarState, AvatarKey>> = {
  checking: 'avatar.checking',
  connecting: 'avatar.connecting',
  thinking: 'avatar.thinking',
  degraded: 'avatar.degraded',
  closed: 'avatar.closed',
};

/** The avatar's video with a status overlay (connecting, thinking, degraded, error) read out as a live region. */
export class AvatarView {
  private readonly root: HTMLElement;
  private readonly style: HTMLStyleElement;
  private readonly overlay: HTMLElement;
  /** Where Agora's player goes. */
  readonly videoSlot: HTMLElement;

  /** `say` writes the texts in the widget's language. */
  constructor(
    container: HTMLElement,
    private readonly say: (words: Words) => string,
  ) {
    const doc = container.ownerDocument;
    this.style = doc.createElement('style');
    this.style.textContent = CSS;
    this.root = doc.createElement('div');
    this.root.className = 'vb-avatar';
    this.root.setAttribute('role', 'group');
    this.root.setAttribute('aria-label', say({ key: 'avatar.label' }));
    this.videoSlot = doc.createElement('div');
    this.videoSlot.className = 'vb-avatar-video';
    // The avatar says what the transcript shows; the video itself has nothing more for a screen reader.
    this.videoSlot.setAttribute('aria-hidden', 'true');
    this.overlay = doc.createElement('p');
    this.overlay.className = 'vb-avatar-overlay';
    this.overlay.setAttribute('role', 'status');
    this.overlay.setAttribute('aria-live', 'polite');
    this.root.append(this.videoSlot, this.overlay);
    container.append(this.style, this.root);
  }

  /** The `<video>` the SDK created, for the dropped-frames check. */
  get video(): HTMLVideoElement | null {
    return this.videoSlot.querySelector('video');
  }

  /** Shows the state; `text` overrides the default wording (an error's message, why it is degraded). */
  show(state: AvatarState, text?: string): void {
    this.root.dataset.state = state;
    const key = TEXT[state];
    const next = text ?? (key ? this.say({ key }) : '');
    if (this.overlay.textContent !== next) this.overlay.textContent = next;
  }

  destroy(): void {
    this.videoSlot.replaceChildren();
    this.root.remove();
    this.style.remove();
  }
}
