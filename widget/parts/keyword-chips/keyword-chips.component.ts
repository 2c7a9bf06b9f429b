import { KeywordLabels } from '../../keywords/labels.ts';
import type { Keywords } from '../../keywords/types.ts';
// Lit and the session helpers come from the start-up bundle (../kit.ts): this part loads lazily.
import { css, html, LitElement, nothing, SessionConsumer, LocaleConsumer } from '../kit.ts';

const FIELDS: Array<keyof Keywords> = [
  'subject',
  'elements',
  'style',
  'colors',
  'placement',
  'size',
  'mood',
  'lettering',
  'exclude',
];

/** Detail of the internal events this part sends to its <voice-buddy>. */
export interface ChipRemoveDetail {
  field: keyof Keywords;
  value: string;
}
export interface ChipEditDetail {
  field: keyof Keywords;
  from: string;
  to: string;
}

/**
 * The design keywords as chips grouped by field; the visitor can edit a chip in place (Enter saves, Escape cancels),
 * remove one, type one in, and ask for concepts.
 * @tag voice-buddy-keyword-chips
 * @csspart group - one field's chips
 * @csspart chip - a keyword
 * @csspart chip-edit - a chip's text: activate it to edit the keyword
 * @csspart chip-input - the input that replaces a chip's text while it is edited
 * @csspart chip-remove - a chip's remove button
 * @csspart add-input - input to type a keyword
 * @csspart generate-button - hands the keywords to image generation
 * @csspart undo - after a removal: "Removed moon" with its Undo button, for 10 seconds or until the next change
 * @fires vb-chip-remove - internal: `{ field, value }`
 * @fires vb-chip-edit - internal: `{ field, from, to }`
 * @fires vb-chip-add - internal: the typed text
 * @fires vb-generate - internal
 * @fires vb-chip-undo - internal: put back the last removed chip
 */
export class VoiceBuddyKeywordChips extends LitElement {
  static override styles = css`
    :host { display: block; }
    .wrap { padding: 0.5em 0.75em; border-block-start: 1px solid var(--_border); display: grid; gap: 0.4em; font-size: 0.85em; }
    .group { display: flex; flex-wrap: wrap; align-items: center; gap: 0.3em; margin: 0; padding: 0; border: 0; }
    .label { color: var(--_muted); min-width: 5.5em; }
    ul { display: contents; list-style: none; }
    .chip { display: inline-flex; align-items: center; gap: 0.2em; border-radius: 999px; padding-block: 0.1em; padding-inline: 0.6em 0.25em; background: var(--_pill-bg); }
    .chip button { border: 0; background: transparent; color: var(--_muted); cursor: pointer; font: inherit; border-radius: 50%; padding: 0 0.35em; }
    .chip .text { color: inherit; border-radius: 999px; padding: 0; cursor: text; }
    .chip input { inline-size: 9em; padding: 0 0.4em; border-radius: 999px; }
    .chip button:focus-visible, input:focus-visible, .gen:focus-visible { outline: 2px solid var(--_accent); outline-offset: 1px; }
    /* Wraps on a narrow panel: a long label ("Entwürfe zeichnen") moves to its own line instead of overflowing. */
    form { display: flex; flex-wrap: wrap; gap: 0.4em; }
    input { flex: 1 1 10em; min-width: 0; font: inherit; color: var(--_fg); background: var(--_bg); border: 1px solid var(--_border); border-radius: 999px; padding: 0.3em 0.7em; }
    .gen { font: inherit; font-weight: 600; border: 0; border-radius: 999px; padding: 0.35em 0.9em; background: var(--_accent); color: var(--_accent-fg); cursor: pointer; }
    .gen:disabled { opacity: 0.5; cursor: not-allowed; }
    .undo { margin: 0; color: var(--_muted); display: flex; align-items: center; gap: 0.5em; flex-wrap: wrap; }
    .undo button { font: inherit; font-weight: 600; color: var(--_fg); background: transparent; border: 1px solid var(--_border); border-radius: 999px; padding: 0.1em 0.7em; cursor: pointer; }
    .undo button:focus-visible { outline: 2px solid var(--_accent); outline-offset: 1px; }
    .add { font: inherit; border: 1px solid var(--_border); border-radius: 999px; background: transparent; color: var(--_fg); padding: 0.3em 0.7em; cursor: pointer; }
  `;

  static override properties = {
    canGenerate: { type: Boolean, attribute: 'can-generate' },
    allowGenerate: { type: Boolean, attribute: 'allow-generate' },
    editing: { state: true },
    removed: { state: true },
  };
  declare canGenerate: boolean;
  declare allowGenerate: boolean;
  /** The chip being edited in place (its words are `labels.of(field, value)`). */
  declare editing: { field: keyof Keywords; value: string } | null;
  /** The chip just removed, offered back for a while. */
  declare removed: {
    field: keyof Keywords;
    label: string;
    value: string;
    before: Keywords | null | undefined;
    after: Keywords | null | undefined;
  } | null;
  private removedTimer: ReturnType<typeof setTimeout> | undefined;
  /** Where focus goes after an edit ends by key; `keywords` is the set before the edit, to wait for the new one. */
  private refocus: { field: keyof Keywords; text: string; keywords: Keywords | null | undefined } | null = null;

  private readonly session = new SessionConsumer(this, (s) => [s.$keywords, s.$keywordLabels]);
  private readonly i18n = new LocaleConsumer(this);
  /** The chips show the visitor's words for the keywords; the events carry the keywords (English ids) themselves. */
  private readonly labels = new KeywordLabels(
    this,
    () => this.i18n.locale.lang,
    () => this.session.value?.$keywordLabels.get(),
  );

  constructor() {
    super();
    this.canGenerate = false;
    this.allowGenerate = true;
    this.editing = null;
    this.removed = null;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.removedTimer);
  }

  private async onRemove(field: keyof Keywords, label: string, value: string) {
    this.removed = { field, label, value, before: this.session.value?.$keywords.get(), after: undefined };
    this.send('vb-chip-remove', { field, value } satisfies ChipRemoveDetail);
    clearTimeout(this.removedTimer);
    this.removedTimer = setTimeout(() => (this.removed = null), 10_000);
    // The removed chip's button is gone: focus goes to Undo, so a keyboard is never left on nothing.
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[part~="undo"] button')?.focus();
  }

  private undo() {
    const removed = this.removed;
    if (!removed) return;
    // Before sending: the chip may be back before send() returns.
    this.refocus = {
      field: removed.field,
      text: this.labels.of(removed.field, removed.value),
      keywords: this.session.value?.$keywords.get(),
    };
    this.removed = null;
    clearTimeout(this.removedTimer);
    this.send('vb-chip-undo');
  }

  /** The first change after a removal is the removal itself; any later one (an edit, the model) ends the offer. */
  protected override willUpdate(): void {
    const removed = this.removed;
    const keywords = this.session.value?.$keywords.get();
    if (!removed || keywords === removed.before) return;
    if (removed.after === undefined) removed.after = keywords;
    else if (keywords !== removed.after) this.removed = null;
  }

  private send(type: string, detail?: unknown) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true }));
  }

  private onAdd(e: SubmitEvent) {
    e.preventDefault();
    const input = (e.currentTarget as HTMLFormElement).querySelector('input')!;
    if (!input.value.trim()) return;
    // One of the labels shown ("Unterarm") goes in as its keyword; a phrase or any other word as typed.
    this.send('vb-chip-add', this.labels.id(input.value));
    input.value = '';
  }

  private async startEdit(field: keyof Keywords, value: string) {
    this.editing = { field, value };
    await this.updateComplete;
    const input = this.renderRoot.querySelector<HTMLInputElement>('[part~="chip-input"]');
    input?.focus();
    input?.select();
  }

  private onEditKey(e: KeyboardEvent, field: keyof Keywords, from: string) {
    if (e.key === 'Enter') {
      e.preventDefault();
      this.finishEdit(field, from, (e.target as HTMLInputElement).value);
    } else if (e.key === 'Escape') {
      // Escape ends the edit, not the floating panel.
      e.preventDefault();
      e.stopPropagation();
      this.finishEdit(field, from, from);
    }
  }

  /**
   * Saves (Enter, leaving the field) or cancels (Escape: `to` is the old value). After a key, focus goes back to the
   * chip; after a click elsewhere it stays where the visitor put it.
   */
  private finishEdit(field: keyof Keywords, from: string, to: string, refocus = true) {
    const editing = this.editing;
    if (!editing || editing.field !== field || editing.value !== from) return;
    this.editing = null;
    // The field showed the chip's words, which may be a label: saving them unchanged changes nothing.
    const text = to.trim();
    const shown = this.labels.of(field, from);
    const changed = text !== from && text !== shown;
    // A label typed back ("Unterarm") is its keyword ("forearm"); any other text is read as typed.
    if (changed) this.send('vb-chip-edit', { field, from, to: this.labels.id(text) } satisfies ChipEditDetail);
    if (refocus)
      this.refocus = {
        field,
        text: changed ? text : shown,
        keywords: changed ? this.session.value?.$keywords.get() : undefined,
      };
  }

  /**
   * After an edit by key, focus lands on the edited chip once the keywords show the edit (the text may be normalised).
   */
  protected override updated(): void {
    const wanted = this.refocus;
    const keywords = this.session.value?.$keywords.get();
    if (!wanted || (wanted.keywords !== undefined && keywords === wanted.keywords)) return;
    this.refocus = null;
    const inField = [
      ...this.renderRoot.querySelectorAll<HTMLElement>(
        `[part~="group"][data-field="${wanted.field}"] [part~="chip-edit"]`,
      ),
    ];
    const simple = (t: string) => t.toLowerCase().replace(/[\s_-]+/g, '');
    const target =
      inField.find((c) => simple(c.textContent ?? '') === simple(wanted.text)) ??
      inField[0] ??
      this.renderRoot.querySelector<HTMLElement>('[part~="add-input"]');
    target?.focus();
  }

  /**
   * "Removed elements “moon”.": the field's label inside a sentence is lower case, except in German, which writes
   * its nouns with a capital.
   */
  private removedText(label: string, value: string): string {
    const { t, lang } = this.i18n.locale;
    return t('kw.removed', { value, field: lang === 'de' ? label : label.toLocaleLowerCase(lang) });
  }

  override render() {
    const k = this.session.value?.$keywords.get();
    if (!k) return nothing;
    const { t } = this.i18n.locale;
    const groups = FIELDS.map((field) => {
      const raw = k[field];
      const values = Array.isArray(raw) ? raw : raw ? [raw] : [];
      return { field, label: t(`kw.${field}`), values };
    }).filter((g) => g.values.length > 0);
    return html`<section class="wrap" aria-label=${t('kw.label')}>
      ${groups.map(
        (g) => html`<div class="group" part="group" role="group" aria-label=${g.label} data-field=${g.field}>
          <span class="label" aria-hidden="true">${g.label}</span>
          <ul>
            ${g.values.map((v) => {
              const shown = this.labels.of(g.field, v);
              const edit = t('kw.edit', { value: shown, field: g.label });
              return this.editing?.field === g.field && this.editing.value === v
                ? html`<li class="chip" part="chip"><input part="chip-input" .value=${shown} aria-label=${edit}
                    @keydown=${(e: KeyboardEvent) => this.onEditKey(e, g.field, v)}
                    @blur=${(e: FocusEvent) => this.finishEdit(g.field, v, (e.target as HTMLInputElement).value, false)}
                    /></li>`
                : html`<li class="chip" part="chip"><button class="text" part="chip-edit" aria-label=${edit}
                    @click=${() => this.startEdit(g.field, v)}>${shown}</button><button part="chip-remove"
                    aria-label=${t('kw.remove', { value: shown, field: g.label })}
                    @click=${() => this.onRemove(g.field, g.label, v)}>×</button></li>`;
            })}
          </ul>
        </div>`,
      )}
      ${
        this.removed
          ? html`<p class="undo" part="undo" role="status">${this.removedText(
              this.removed.label,
              this.labels.of(this.removed.field, this.removed.value),
            )}
            <button type="button" @click=${() => this.undo()}>${t('kw.undo')}</button></p>`
          : nothing
      }
      <form @submit=${this.onAdd}>
        <input part="add-input" aria-label=${t('kw.add')} placeholder=${t('kw.addHint')} />
        <button class="add" type="submit">${t('kw.addButton')}</button>
        ${
          this.allowGenerate
            ? html`<button class="gen" part="generate-button" type="button" ?disabled=${!this.canGenerate} @click=${() => this.send('vb-generate')}>${t('kw.generate')}</button>`
            : nothing
        }
      </form>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'voice-buddy-keyword-chips': VoiceBuddyKeywordChips;
  }
}
