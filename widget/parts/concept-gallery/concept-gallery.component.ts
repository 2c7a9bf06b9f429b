import type { MessageKey } from '../../i18n/en.ts';
import { describeKeywords } from '../../keywords/describe.ts';
import { KeywordLabels } from '../../keywords/labels.ts';
import type { Generation } from '../../state/session-store.ts';
// Lit and the session helpers come from the start-up bundle (../kit.ts): this part loads lazily.
import { css, html, LitElement, nothing, SessionConsumer, VIEWER_PARTS, LocaleConsumer } from '../kit.ts';
import type { VoiceBuddyConceptViewer } from './concept-viewer.component.ts';

/** The stages the Worker's generators report (worker/handoff/). */
const STAGES = new Set([
  'starting',
  'queued',
  'composing',
  'requesting',
  'dispatched',
  'drawing',
  'rendering',
  'finishing',
]);

/**
 * Generations with their progress and concepts, newest first. Arrow keys move between concepts; Enter opens one in
 * the viewer (<voice-buddy-concept-viewer>, concept-viewer.component.ts), whose parts are forwarded.
 * @tag voice-buddy-concept-gallery
 * @csspart generation - one generation
 * @csspart progress - its progress bar
 * @csspart concept - a concept thumbnail button
 * @csspart viewer - the concept viewer, a modal dialog: previous/next, caption, "Use this design", download
 * @csspart viewer-position - the viewer's title, "Concept 2 of 3"
 * @csspart viewer-close - the viewer's close button
 * @csspart viewer-stage - the area holding the image and the previous and next buttons (swipe here)
 * @csspart viewer-image - the concept, large
 * @csspart viewer-previous - previous concept
 * @csspart viewer-next - next concept
 * @csspart viewer-caption - what the design is, written from the keywords
 * @csspart select-button - "Use this design" (fires `voice-buddy-select`)
 * @csspart download-link - saves the image (or opens it in a new tab when its server does not allow CORS)
 * @fires vb-say - internal: the visitor chose a concept and nobody took over `voice-buddy-select`
 */
export class VoiceBuddyConceptGallery extends LitElement {
  static override styles = css`
    :host { display: block; }
    .gen { padding: 0.5em 0.75em; border-block-start: 1px solid var(--_border); font-size: 0.85em; }
    h3 { font-size: 1em; margin: 0 0 0.4em; font-weight: 600; }
    .bar { block-size: 6px; border-radius: 3px; background: var(--_pill-bg); overflow: hidden; }
    .bar > span { display: block; block-size: 100%; background: var(--_accent); transition: inline-size 200ms; }
    .stage { color: var(--_muted); }
    /* Three across a narrow panel; on a wide one thumbnails stop at 10em, so a row of concepts stays in view. */
    ul { list-style: none; display: grid; grid-template-columns: repeat(3, minmax(0, 10em)); gap: 0.4em; padding: 0; margin: 0.4em 0 0; }
    button.thumb { padding: 0; border: 1px solid var(--_border); border-radius: 8px; overflow: hidden; background: var(--_pill-bg); cursor: zoom-in; aspect-ratio: 1; inline-size: 100%; }
    button.thumb:focus-visible { outline: 2px solid var(--_accent); outline-offset: 2px; }
    img { display: block; inline-size: 100%; block-size: 100%; object-fit: cover; }
    .error { color: var(--_danger, #b91c1c); }
  `;

  static override properties = { viewing: { state: true } };
  /** The id of the generation in the viewer. */
  declare viewing: string | null;

  // The titles and the viewer's caption read the model's motif words too: a render when they change.
  private readonly session = new SessionConsumer(this, (s) => [s.$generations, s.$keywordLabels]);
  private readonly i18n = new LocaleConsumer(this);
  private readonly labels = new KeywordLabels(
    this,
    () => this.i18n.locale.lang,
    () => this.session.value?.$keywordLabels.get(),
  );

  constructor() {
    super();
    this.viewing = null;
  }

  private onKeydown(e: KeyboardEvent) {
    const keys: Record<string, number> = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };
    const step = keys[e.key];
    if (step === undefined) return;
    const thumbs = [...this.renderRoot.querySelectorAll<HTMLButtonElement>('button.thumb')];
    const index = thumbs.indexOf(e.composedPath()[0] as HTMLButtonElement);
    if (index < 0) return;
    e.preventDefault();
    thumbs[(index + step + thumbs.length) % thumbs.length]?.focus();
  }

  private async open(g: Generation, position: number, opener: HTMLElement) {
    this.viewing = g.id;
    await this.updateComplete;
    await this.renderRoot.querySelector<VoiceBuddyConceptViewer>('voice-buddy-concept-viewer')?.show(position, opener);
  }

  /** The viewer's message goes on to <voice-buddy>, which sends it as the visitor's. */
  private forwardSay(e: CustomEvent<string>) {
    this.dispatchEvent(new CustomEvent('vb-say', { detail: e.detail, bubbles: true }));
  }

  private renderGeneration(g: Generation) {
    const busy = g.status !== 'done' && g.status !== 'error';
    const { t, percent, message } = this.i18n.locale;
    const keywords = describeKeywords(g.keywords, t, this.labels.of);
    // A generator may name its own stages; the ones the Worker's generators use have words in the catalogue.
    const stage = STAGES.has(g.stage) ? t(`gen.${g.stage}` as MessageKey) : g.stage;
    return html`<section class="gen" part="generation" aria-label=${t('gen.label', { keywords })} aria-busy=${busy ? 'true' : 'false'}>
      <h3>${t('gen.title', { keywords })}</h3>
      ${
        busy
          ? html`<div class="bar" part="progress" role="progressbar" aria-label=${t('gen.progress')} aria-valuemin="0" aria-valuemax="100"
              aria-valuenow=${g.percent} aria-valuetext=${`${percent(g.percent)} · ${stage}`}><span style=${`inline-size:${g.percent}%`}></span></div>
            <span class="stage">${stage}…</span>`
          : nothing
      }
      ${g.status === 'error' ? html`<p class="error" role="alert">${message(g.errorCode ?? 'generation_failed', g.error ?? '')}</p>` : nothing}
      ${
        g.concepts.length
          ? html`<ul @keydown=${this.onKeydown}>
            ${g.concepts.map(
              (c, i) => html`<li><button class="thumb" part="concept"
                aria-label=${t('gen.open', { n: c.index + 1, alt: c.alt })}
                @click=${(e: Event) => void this.open(g, i, e.currentTarget as HTMLElement)}>
                <img src=${c.imageUrl} alt=${c.alt} loading="lazy" /></button></li>`,
            )}
          </ul>`
          : nothing
      }
    </section>`;
  }

  /** The newest generation and whether its concepts had arrived, as last brought into view. */
  private shown = '';

  /**
   * A new generation, and again its first concepts, are brought into view inside the widget's scrolling design area
   * (never by scrollIntoView, which would scroll the host page too).
   */
  protected override updated(): void {
    const generations = this.session.value?.$generations.get() ?? [];
    const newest = generations.at(-1);
    const key = newest ? `${newest.id}:${newest.concepts.length > 0}` : '';
    if (key === this.shown) return;
    this.shown = key;
    const box = this.parentElement;
    const section = this.renderRoot.querySelector<HTMLElement>('[part~="generation"]');
    // Once they are there, the concepts themselves: the design area can be shorter than the generation's heading.
    const target = section?.querySelector<HTMLElement>('[part~="concept"]') ?? section;
    if (!newest || !box || !target || box.scrollHeight <= box.clientHeight) return;
    box.scrollTop += target.getBoundingClientRect().top - box.getBoundingClientRect().top;
  }

  override render() {
    const generations = this.session.value?.$generations.get() ?? [];
    if (!generations.length) return nothing;
    const viewing = generations.find((g) => g.id === this.viewing) ?? null;
    return html`${[...generations].reverse().map((g) => this.renderGeneration(g))}
      <voice-buddy-concept-viewer exportparts=${VIEWER_PARTS.join(', ')} .generation=${viewing}
        .motifs=${this.session.value?.$keywordLabels.get() ?? null}
        @vb-say=${this.forwardSay}></voice-buddy-concept-viewer>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'voice-buddy-concept-gallery': VoiceBuddyConceptGallery;
  }
}
