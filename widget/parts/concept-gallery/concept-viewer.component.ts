import type { SelectDetail } from '../../events.ts';
import type { Locale } from '../../i18n/locale.ts';
import type { Generation } from '../../state/session-store.ts';
// Lit and emit() come from the start-up bundle (../kit.ts): this part loads lazily.
import { css, emit, html, keyed, LitElement, LocaleConsumer, nothing, svg } from '../kit.ts';
import { captionIn, chosenIn, dataUrlType, downloadName } from './concept-caption.ts';
import { KeywordLabels, type MotifLabels } from '../../keywords/labels.ts';

/** Every visitor-facing string of the viewer, from the widget's catalogue (widget/i18n/en.ts: `view.*`). */
function viewerWords(locale: Locale) {
  const { t } = locale;
  return {
    position: (n: number, total: number) => t('view.position', { n, total }),
    previous: t('view.previous'),
    next: t('view.next'),
    close: t('gen.close'),
    use: t('view.use'),
    download: t('view.download'),
    open: t('view.open'),
    newTab: t('view.newTab'),
    locale,
  };
}

/** A horizontal move at least this long, and longer than it is tall, is a swipe. */
const SWIPE_PX = 40;

/** How the download link works for the concept in view: a file to save, or (cross-origin without CORS) a new tab. */
interface Download {
  href: string;
  name: string | null;
}

const chevron = svg`<path d="M9 5l7 7-7 7" />`;
const cross = svg`<path d="M6 6l12 12M18 6L6 18" />`;
const icon = (path: ReturnType<typeof svg>) =>
  html`<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2.25" stroke-linecap="round"
    stroke-linejoin="round" aria-hidden="true">${path}</svg>`;

/**
 * One generation's concepts, one at a time, in a modal dialog: next and previous by the buttons, the arrow keys
 * (mirrored right to left) and a swipe; a caption written from the keywords; "Use this design"; a download.
 * Focus moves in on open and back to the thumbnail that opened it on close; Escape closes.
 * Side-effect free: concept-viewer.ts defines the tag.
 * @tag voice-buddy-concept-viewer
 * @fires voice-buddy-select - `{ generationId, concept, keywords }`, cancelable; not cancelled, it asks for `vb-say`
 * @fires vb-say - internal: the visitor's message telling the assistant which concept they chose
 * @csspart viewer - the dialog
 * @csspart viewer-position - its title, "Concept 2 of 3"
 * @csspart viewer-close - the close button
 * @csspart viewer-stage - the area that holds the image and the previous and next buttons (swipe here)
 * @csspart viewer-image - the concept
 * @csspart viewer-previous - previous concept
 * @csspart viewer-next - next concept
 * @csspart viewer-caption - what the design is, from the keywords
 * @csspart select-button - "Use this design"
 * @csspart download-link - saves the image (or opens it in a new tab when its server does not allow CORS)
 */
export class VoiceBuddyConceptViewer extends LitElement {
  static override styles = css`
    :host { display: contents; }
    dialog {
      box-sizing: border-box; border: 0; padding: 0; margin: auto; overflow: hidden;
      inline-size: min(calc(100vw - 48px), 760px); block-size: min(calc(100dvh - 48px), 820px);
      max-inline-size: none; max-block-size: none;
      background: var(--_bg); color: var(--_fg); border-radius: var(--_radius, 14px);
      box-shadow: 0 24px 64px rgb(0 0 0 / 0.35); font: inherit; overscroll-behavior: contain;
    }
    dialog[open] { display: flex; flex-direction: column; animation: vb-in 180ms ease-out; }
    dialog::backdrop { background: rgb(10 12 20 / 0.72); }
    header { display: flex; align-items: center; gap: 0.5em; padding-block: 0.6em; padding-inline: 1.1em 0.6em; }
    h2 { flex: 1; margin: 0; font-size: 1em; font-weight: 600; }
    button, a { font: inherit; cursor: pointer; }
    button:focus-visible, a:focus-visible { outline: 2px solid var(--_accent); outline-offset: 2px; }
    .icon { display: grid; place-items: center; inline-size: 2.75rem; block-size: 2.75rem; padding: 0;
      border: 0; border-radius: 50%; background: transparent; color: var(--_fg); }
    .icon:hover { background: var(--_pill-bg); }
    .icon svg { inline-size: 1.35rem; block-size: 1.35rem; }
    .stage { position: relative; flex: 1 1 auto; min-block-size: 0; background: var(--_pill-bg);
      touch-action: pan-y pinch-zoom; user-select: none; }
    /* Out of the flow, so any image fits the space left (a tall one never pushes the caption off screen). */
    .stage img { position: absolute; inset: 0; inline-size: 100%; block-size: 100%; object-fit: contain;
      animation: vb-swap 200ms ease-out; -webkit-user-drag: none; }
    .nav { position: absolute; inset-block-start: 50%; translate: 0 -50%; box-shadow: 0 2px 10px rgb(0 0 0 / 0.2);
      background: color-mix(in srgb, var(--_bg) 92%, transparent); border: 1px solid var(--_border); }
    .nav:hover { background: var(--_bg); }
    .prev { inset-inline-start: 0.75rem; }
    .next { inset-inline-end: 0.75rem; }
    .prev svg { scale: -1 1; }
    .nav svg:dir(rtl) { scale: -1 1; }
    .prev svg:dir(rtl) { scale: 1 1; }
    .caption { margin: 0; padding: 0.85em 1.1em 0; line-height: 1.45; }
    .actions { display: flex; flex-wrap: wrap; gap: 0.5em; padding: 0.85em 1.1em 1em; }
    .actions > * { display: inline-flex; align-items: center; justify-content: center; gap: 0.4em;
      min-block-size: 2.75rem; padding: 0 1.2em; border-radius: 999px; font-weight: 600; text-decoration: none; }
    .primary { border: 0; background: var(--_accent); color: var(--_accent-fg); }
    .secondary { border: 1px solid var(--_border); background: transparent; color: var(--_fg); }
    .secondary:hover { background: var(--_pill-bg); }
    .sr-only { position: absolute; inline-size: 1px; block-size: 1px; overflow: hidden; clip-path: inset(50%);
      white-space: nowrap; }
    /* A phone, or a short landscape window: the whole screen, clear of the notch and the home indicator. */
    @media (max-width: 640px), (max-height: 520px) {
      dialog { inline-size: 100vw; block-size: 100dvh; border-radius: 0; box-shadow: none; }
      header { padding-block-start: max(0.5em, env(safe-area-inset-top));
        padding-left: max(1em, env(safe-area-inset-left)); padding-right: max(0.5em, env(safe-area-inset-right)); }
      :dir(rtl) header { padding-left: max(0.5em, env(safe-area-inset-left));
        padding-right: max(1em, env(safe-area-inset-right)); }
      .caption, .actions { padding-left: max(1em, env(safe-area-inset-left));
        padding-right: max(1em, env(safe-area-inset-right)); }
      .actions { padding-block-end: max(1em, env(safe-area-inset-bottom)); }
      .actions > * { flex: 1 1 0; padding: 0 0.8em; }
    }
    @keyframes vb-in { from { opacity: 0; scale: 0.97; } }
    @keyframes vb-swap { from { opacity: 0.2; } }
    @media (prefers-reduced-motion: reduce) {
      dialog[open], .stage img { animation: none; }
    }
  `;

  static override properties = {
    generation: { attribute: false },
    motifs: { attribute: false },
    position: { state: true },
    said: { state: true },
    download: { state: true },
  };
  /** The generation whose concepts are shown; set by the gallery, kept current as concepts arrive. */
  declare generation: Generation | null;
  /** The model's words for the motifs (the session's), set by the gallery. */
  declare motifs: MotifLabels | null;
  declare position: number;
  /** The live region's text: the position after a move (the dialog's name says it on open). */
  declare said: string;
  declare download: Download | null;

  private readonly i18n = new LocaleConsumer(this);
  private readonly labels = new KeywordLabels(
    this,
    () => this.i18n.locale.lang,
    () => this.motifs,
  );
  private opener: HTMLElement | null = null;
  private swipe: { id: number; x: number; y: number } | null = null;
  private objectUrl: string | null = null;
  private probed = '';

  constructor() {
    super();
    this.generation = null;
    this.motifs = null;
    this.position = 0;
    this.said = '';
    this.download = null;
  }

  private get dialog(): HTMLDialogElement | null {
    return this.renderRoot.querySelector('dialog');
  }

  get isOpen(): boolean {
    return Boolean(this.dialog?.open);
  }

  /** Opens at concept `position` (0-based); focus goes back to `opener` on close. */
  async show(position: number, opener: HTMLElement | null): Promise<void> {
    this.position = position;
    this.opener = opener;
    this.said = '';
    await this.updateComplete;
    if (!this.dialog?.open) this.dialog?.showModal();
  }

  close(): void {
    this.dialog?.close();
  }

  private get total(): number {
    return this.generation?.concepts.length ?? 0;
  }

  /** Wraps around at both ends, as the gallery's thumbnails do with the arrow keys. */
  private go(step: number) {
    const total = this.total;
    if (total < 2) return;
    this.position = (this.position + step + total) % total;
    this.said = viewerWords(this.i18n.locale).position(this.position + 1, total);
  }

  private get rtl(): boolean {
    return getComputedStyle(this.dialog ?? this).direction === 'rtl';
  }

  private onKeydown(e: KeyboardEvent) {
    // The widget's own keys (Escape closing the floating panel, Space to talk, Alt+V) stay out of a modal dialog;
    // Escape still reaches the dialog's default action, which closes it.
    e.stopPropagation();
    const forward = this.rtl ? 'ArrowLeft' : 'ArrowRight';
    const back = this.rtl ? 'ArrowRight' : 'ArrowLeft';
    if (e.key !== forward && e.key !== back) return;
    e.preventDefault();
    this.go(e.key === forward ? 1 : -1);
  }

  private onPointerDown(e: PointerEvent) {
    if (!e.isPrimary || (e.composedPath()[0] as Element).closest?.('button')) return;
    this.swipe = { id: e.pointerId, x: e.clientX, y: e.clientY };
  }

  private onPointerUp(e: PointerEvent) {
    const start = this.swipe;
    this.swipe = null;
    if (!start || start.id !== e.pointerId) return;
    const dx = e.clientX - start.x;
    if (Math.abs(dx) < SWIPE_PX || Math.abs(dx) <= Math.abs(e.clientY - start.y)) return;
    // A swipe towards the start of the line brings the next concept: leftwards, or rightwards in RTL.
    this.go(dx < 0 !== this.rtl ? 1 : -1);
  }

  private onClose() {
    this.said = '';
    this.swipe = null;
    const opener = this.opener;
    this.opener = null;
    if (opener?.isConnected) opener.focus();
  }

  /** A click on the backdrop (the dialog box itself, outside its content) closes. */
  private onClick(e: MouseEvent) {
    if (e.target === this.dialog) this.close();
  }

  private choose() {
    const g = this.generation;
    const concept = g?.concepts[this.position];
    if (!g || !concept) return;
    const detail: SelectDetail = { generationId: g.id, concept, keywords: g.keywords };
    const proceed = emit(this, 'voice-buddy-select', detail);
    // Either way the dialog closes: a host that took over shows its own booking or cart, which a modal would block.
    this.close();
    const message = chosenIn(this.position + 1, g.keywords, this.i18n.locale, this.labels.of);
    if (proceed) this.dispatchEvent(new CustomEvent('vb-say', { detail: message, bubbles: true }));
  }

  protected override willUpdate(): void {
    if (this.position >= this.total) this.position = Math.max(0, this.total - 1);
    const concept = this.generation?.concepts[this.position];
    const url = concept?.imageUrl ?? '';
    if (url !== this.probed) {
      this.probed = url;
      this.download = concept ? this.downloadFor(url, this.position + 1) : null;
    }
  }

  /**
   * data: and blob: URLs download as they are. An http(s) image is fetched with CORS into a blob: the download
   * attribute only works same-origin. Until that answers, and when the image's server does not allow it, the link
   * opens the image in a new tab instead (and says so).
   */
  private downloadFor(url: string, n: number): Download {
    const keywords = this.generation!.keywords;
    this.releaseObjectUrl();
    if (/^(data|blob):/i.test(url)) return { href: url, name: downloadName(keywords, n, dataUrlType(url)) };
    void fetch(url, { mode: 'cors', credentials: 'omit' })
      .then((res) => (res.ok ? res.blob() : Promise.reject(new Error(String(res.status)))))
      .then((blob) => {
        if (this.probed !== url || !blob.type.startsWith('image/')) return;
        this.objectUrl = URL.createObjectURL(blob);
        this.download = { href: this.objectUrl, name: downloadName(keywords, n, blob.type) };
      })
      .catch(() => undefined); // no CORS, or offline: the new-tab link stays
    return { href: url, name: null };
  }

  private releaseObjectUrl() {
    if (this.objectUrl) URL.revokeObjectURL(this.objectUrl);
    this.objectUrl = null;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.releaseObjectUrl();
    this.probed = '';
  }

  private renderDownload() {
    const d = this.download;
    if (!d) return nothing;
    const s = viewerWords(this.i18n.locale);
    return d.name !== null
      ? html`<a part="download-link" class="secondary" href=${d.href} download=${d.name}>${s.download}</a>`
      : html`<a part="download-link" class="secondary" href=${d.href} target="_blank" rel="noopener noreferrer"
          >${s.open}<span class="sr-only"> ${s.newTab}</span></a>`;
  }

  override render() {
    const s = viewerWords(this.i18n.locale);
    const concept = this.generation?.concepts[this.position];
    const total = this.total;
    const caption = this.generation ? captionIn(this.generation.keywords, s.locale, this.labels.of) : '';
    return html`<dialog part="viewer" aria-labelledby="position" aria-describedby="caption"
      @keydown=${this.onKeydown} @keyup=${(e: Event) => e.stopPropagation()} @close=${this.onClose}
      @click=${this.onClick}>
      ${
        concept && this.generation
          ? html`<header>
              <h2 id="position" part="viewer-position">${s.position(this.position + 1, total)}</h2>
              <button class="icon" part="viewer-close" aria-label=${s.close}
                @click=${this.close}>${icon(cross)}</button>
            </header>
            <div class="stage" part="viewer-stage" @pointerdown=${this.onPointerDown} @pointerup=${this.onPointerUp}
              @pointercancel=${() => (this.swipe = null)}>
              ${keyed(
                concept.imageUrl,
                html`<img part="viewer-image" src=${concept.imageUrl} alt=${concept.alt}
                draggable="false" />`,
              )}
              ${
                total > 1
                  ? html`<button class="icon nav prev" part="viewer-previous" aria-label=${s.previous}
                      @click=${() => this.go(-1)}>${icon(chevron)}</button>
                    <button class="icon nav next" part="viewer-next" aria-label=${s.next}
                      @click=${() => this.go(1)}>${icon(chevron)}</button>`
                  : nothing
              }
            </div>
            <!-- dir="auto": a caption in another script than the page's keeps its punctuation where it belongs. -->
            <p class="caption" id="caption" part="viewer-caption" dir="auto">${caption}</p>
            <div class="actions">
              <button class="primary" part="select-button" @click=${this.choose}>${s.use}</button>
              ${this.renderDownload()}
            </div>
            <div class="sr-only" role="status">${this.said}</div>`
          : nothing
      }
    </dialog>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'voice-buddy-concept-viewer': VoiceBuddyConceptViewer;
  }
}
