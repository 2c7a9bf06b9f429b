import { ContextConsumer } from '@lit/context';
import { css, html, LitElement, nothing } from 'lit';
import { defineOnce } from '../../define.ts';
import type { Keywords } from '../../keywords/types.ts';
import { sessionContext } from '../../state/context.ts';
import { StoreController } from '../../state/store-controller.ts';

const FIELDS: Array<[keyof Keywords, string]> = [
  ['subject', 'Subject'], ['elements', 'Elements'], ['style', 'Style'], ['colors', 'Colours'], ['placement', 'Placement'],
  ['size', 'Size'], ['mood', 'Mood'], ['lettering', 'Lettering'], ['exclude', 'Not wanted'],
];

/** Detail of the internal events this part sends to its <voice-buddy>. */
export interface ChipRemoveDetail {
  field: keyof Keywords;
  value: string;
}

/**
 * The design keywords as chips grouped by field; the visitor can remove a chip, type one in, and ask for concepts.
 * @csspart group - one field's chips
 * @csspart chip - a keyword
 * @csspart chip-remove - a chip's remove button
 * @csspart add-input - input to type a keyword
 * @csspart generate-button - hands the keywords to image generation
 * @fires vb-chip-remove - internal: `{ field, value }`
 * @fires vb-chip-add - internal: the typed text
 * @fires vb-generate - internal
 */
export class VoiceBuddyKeywordChips extends LitElement {
  static override styles = css`
    :host { display: block; }
    .wrap { padding: 0.5em 0.75em; border-block-start: 1px solid var(--_border); display: grid; gap: 0.4em; font-size: 0.85em; }
    .group { display: flex; flex-wrap: wrap; align-items: center; gap: 0.3em; margin: 0; padding: 0; border: 0; }
    .label { color: var(--_muted); min-width: 5.5em; }
    ul { display: contents; list-style: none; }
    .chip { display: inline-flex; align-items: center; gap: 0.2em; border-radius: 999px; padding: 0.1em 0.25em 0.1em 0.6em; background: var(--_pill-bg); }
    .chip button { border: 0; background: transparent; color: var(--_muted); cursor: pointer; font: inherit; border-radius: 50%; padding: 0 0.35em; }
    .chip button:focus-visible, input:focus-visible, .gen:focus-visible { outline: 2px solid var(--_accent); outline-offset: 1px; }
    form { display: flex; gap: 0.4em; }
    input { flex: 1; min-width: 0; font: inherit; color: var(--_fg); background: var(--_bg); border: 1px solid var(--_border); border-radius: 999px; padding: 0.3em 0.7em; }
    .gen { font: inherit; font-weight: 600; border: 0; border-radius: 999px; padding: 0.35em 0.9em; background: var(--_accent); color: var(--_accent-fg); cursor: pointer; }
    .gen:disabled { opacity: 0.5; cursor: not-allowed; }
    .add { font: inherit; border: 1px solid var(--_border); border-radius: 999px; background: transparent; color: var(--_fg); padding: 0.3em 0.7em; cursor: pointer; }
  `;

  static override properties = { canGenerate: { type: Boolean, attribute: 'can-generate' }, allowGenerate: { type: Boolean, attribute: 'allow-generate' } };
  declare canGenerate: boolean;
  declare allowGenerate: boolean;

  private readonly session = new ContextConsumer(this, { context: sessionContext, subscribe: true, callback: () => this.stores.resubscribe() });
  private readonly stores = new StoreController(this, () => (this.session.value ? [this.session.value.$keywords] : []));

  constructor() {
    super();
    this.canGenerate = false;
    this.allowGenerate = true;
  }

  private send(type: string, detail?: unknown) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true }));
  }

  private onAdd(e: SubmitEvent) {
    e.preventDefault();
    const input = (e.currentTarget as HTMLFormElement).querySelector('input')!;
    if (!input.value.trim()) return;
    this.send('vb-chip-add', input.value);
    input.value = '';
  }

  override render() {
    const k = this.session.value?.$keywords.get();
    if (!k) return nothing;
    const groups = FIELDS.map(([field, label]) => {
      const raw = k[field];
      const values = Array.isArray(raw) ? raw : raw ? [raw] : [];
      return { field, label, values };
    }).filter((g) => g.values.length > 0);
    return html`<section class="wrap" aria-label="Design keywords">
      ${groups.map(
        (g) => html`<div class="group" part="group" role="group" aria-label=${g.label}>
          <span class="label" aria-hidden="true">${g.label}</span>
          <ul>
            ${g.values.map(
              (v) => html`<li class="chip" part="chip"><span>${v}</span><button part="chip-remove" aria-label=${`Remove ${g.label.toLowerCase()} ${v}`}
                  @click=${() => this.send('vb-chip-remove', { field: g.field, value: v } satisfies ChipRemoveDetail)}>×</button></li>`,
            )}
          </ul>
        </div>`,
      )}
      <form @submit=${this.onAdd}>
        <input part="add-input" aria-label="Add a keyword" placeholder="Add a keyword, e.g. “red” or “on my calf”" />
        <button class="add" type="submit">Add</button>
        ${this.allowGenerate
          ? html`<button class="gen" part="generate-button" type="button" ?disabled=${!this.canGenerate} @click=${() => this.send('vb-generate')}>Generate</button>`
          : nothing}
      </form>
    </section>`;
  }
}

defineOnce('voice-buddy-keyword-chips', VoiceBuddyKeywordChips);

declare global {
  interface HTMLElementTagNameMap {
    'voice-buddy-keyword-chips': VoiceBuddyKeywordChips;
  }
}
