import { html, LitElement, nothing } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { defineOnce } from '../define.ts';
import { announce, describeError, type AdminClient, type FlagChange, type FlagConfig } from './api.ts';
import * as drafts from './flag-drafts.ts';
import { PanelLoad } from './load.ts';
import { adminStyles } from './styles.ts';

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
const valueOf = (e: Event) => (e.target as HTMLInputElement).value;
const TENANTS_HINT = 'Tenant ids separated by commas; they get the flag at any rollout.';

/**
 * Every flag with its switch, rollout, tenant allowlist and prerequisites. Edits are staged here and sent together
 * as one `POST /admin/flags/bulk` with a note; the API's field problems are shown beside the fields they name. The
 * editing itself is flag-drafts.ts: this element renders its state and hands it events and answers.
 */
export class AdminFlagsPanel extends LitElement {
  static override styles = adminStyles;
  static override properties = {
    client: { attribute: false },
    model: { state: true },
    busy: { state: true },
  };

  declare client: AdminClient | null;
  /** The flags and every edit of them: flag-drafts.ts's value. */
  declare model: drafts.FlagDrafts;
  /** A bulk change or a create is on its way. */
  declare busy: boolean;

  // A write answers with all flags and a failed one shares the banner: the load lands in the model too.
  private readonly loader = new PanelLoad(this, {
    args: () => [this.client] as const,
    load: ([client], signal) => client.listFlags({ signal }),
    failure: 'Could not load the flags: ',
    onComplete: ({ flags }) => (this.model = drafts.loaded(this.model, flags)),
    onError: (message) => (this.model = drafts.loadFailed(this.model, message)),
  });

  constructor() {
    super();
    this.client = null;
    this.model = drafts.emptyDrafts;
    this.busy = false;
  }

  /** The console calls it when the tab is visited again: another tab may have changed the flags. */
  load(): Promise<boolean> {
    return this.loader.run();
  }

  private async apply(e: Event): Promise<void> {
    e.preventDefault();
    if (!this.client) return;
    const submit = drafts.submitChanges(this.model);
    this.model = submit.state;
    if (!submit.send) {
      if (submit.invalid) this.focusInvalid();
      return;
    }
    this.busy = true;
    try {
      const result = await this.client.bulkFlags(submit.changes, submit.note);
      this.model = drafts.applied(this.model, result);
      const recorded = `${result.history.length} recorded in history`;
      announce(this, `Applied ${plural(submit.changes.length, 'flag change')} (${recorded})`);
    } catch (err) {
      this.model = drafts.applyFailed(this.model, err, submit.changes);
      announce(this, 'Nothing was applied: see the problems shown beside the fields');
      this.focusInvalid();
    } finally {
      this.busy = false;
    }
  }

  private async create(e: Event): Promise<void> {
    e.preventDefault();
    if (!this.client) return;
    const submit = drafts.submitCreate(this.model);
    this.model = submit.state;
    if (!submit.send) {
      if (submit.invalid) this.focusInvalid();
      return;
    }
    this.busy = true;
    try {
      const result = await this.client.bulkFlags([submit.change], submit.note);
      this.model = drafts.created(this.model, result);
      announce(this, `Created flag ${submit.change.key}: off, at 0%`);
    } catch (err) {
      this.model = drafts.createFailed(this.model, err, submit.change);
      announce(this, `The flag was not created: ${describeError(err)}`);
      this.focusInvalid();
    } finally {
      this.busy = false;
    }
  }

  private focusInvalid(): void {
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
  }

  private error(key: string, id: string) {
    const message = this.model.errors[key];
    return message ? html`<p class="error" id=${id}>${message}</p>` : nothing;
  }

  private invalid = (key: string) => (this.model.errors[key] ? 'true' : 'false');

  /** aria-describedby naming only elements that are there: the hint, and the error while there is one. */
  private describedBy(key: string, errorId: string, hintId?: string) {
    const ids = [hintId, this.model.errors[key] ? errorId : undefined].filter(Boolean);
    return ifDefined(ids.length ? ids.join(' ') : undefined);
  }

  protected override render() {
    const { flags, formError } = this.model;
    const changes = drafts.changes(this.model);
    return html`
      <h2 id="flags-heading">Feature flags</h2>
      <p class="hint">Edits are staged here and applied together, with a note, as one change.
        ${changes.length ? html`<strong>${plural(changes.length, 'flag')} staged.</strong>` : nothing}</p>
      ${formError ? html`<div class="banner" role="alert">${formError}</div>` : nothing}
      ${this.loader.pending && flags.length === 0 ? html`<p>Loading flags…</p>` : nothing}
      ${flags.map((flag, i) =>
        this.renderFlag(
          flag,
          i,
          changes.some((c) => c.key === flag.key),
        ),
      )}
      ${this.renderApply(changes)} ${this.renderCreate()}
    `;
  }

  private renderFlag(flag: FlagConfig, i: number, staged: boolean) {
    const id = `f${i}`;
    const { enabled, rollout, tenantsText, prerequisites } = drafts.shown(this.model, flag);
    const err = (field: string) => `${flag.key}.${field}`;
    const edit = (patch: drafts.Draft, field: drafts.EditableField) =>
      (this.model = drafts.edit(this.model, flag.key, patch, field));
    const onRollout = (e: Event) =>
      (this.model = drafts.editRollout(this.model, flag.key, (e.target as HTMLInputElement).valueAsNumber));
    const discard = () => (this.model = drafts.discard(this.model, flag.key));
    return html`
      <fieldset class="card ${staged ? 'staged' : ''}" data-flag=${flag.key}>
        <legend>${flag.key}${staged ? html` <span class="badge">staged</span>` : nothing}</legend>
        ${flag.description ? html`<p class="hint">${flag.description}</p>` : nothing}
        ${this.error(err('key'), `${id}-key-error`)}
        <div class="check">
          <input type="checkbox" id="${id}-enabled" .checked=${enabled}
            aria-describedby=${this.describedBy(err('enabled'), `${id}-enabled-error`)}
            aria-invalid=${this.invalid(err('enabled'))}
            @change=${(e: Event) => edit({ enabled: (e.target as HTMLInputElement).checked }, 'enabled')} />
          <label for="${id}-enabled"><strong>Enabled</strong></label>
          ${this.error(err('enabled'), `${id}-enabled-error`)}
        </div>
        <div class="grid">
          <div class="field">
            <label for="${id}-rollout">Rollout (% of units)</label>
            <div class="inline">
              <input type="range" min="0" max="100" step="0.01" .value=${String(rollout)}
                aria-label="Rollout of ${flag.key}, slider" @input=${onRollout} />
              <input type="number" id="${id}-rollout" min="0" max="100" step="0.01" .value=${String(rollout)}
                aria-invalid=${this.invalid(err('rollout'))}
                aria-describedby=${this.describedBy(err('rollout'), `${id}-rollout-error`)} @input=${onRollout} />
            </div>
            ${this.error(err('rollout'), `${id}-rollout-error`)}
          </div>
          <div class="field">
            <label for="${id}-tenants">Tenant allowlist</label>
            <span class="hint" id="${id}-tenants-hint">${TENANTS_HINT}</span>
            <input id="${id}-tenants" .value=${tenantsText} autocomplete="off"
              aria-invalid=${this.invalid(err('tenants'))}
              aria-describedby=${this.describedBy(err('tenants'), `${id}-tenants-error`, `${id}-tenants-hint`)}
              @input=${(e: Event) => edit({ tenantsText: valueOf(e) }, 'tenants')} />
            ${this.error(err('tenants'), `${id}-tenants-error`)}
          </div>
        </div>
        <fieldset aria-describedby=${this.describedBy(err('prerequisites'), `${id}-prerequisites-error`)}>
          <legend>Prerequisites of ${flag.key}</legend>
          ${this.model.flags
            .filter((o) => o.key !== flag.key)
            .map(
              (other, j) => html`
            <span class="check">
              <input type="checkbox" id="${id}-pre-${j}" .checked=${prerequisites.includes(other.key)}
                aria-invalid=${this.invalid(err('prerequisites'))}
                @change=${(e: Event) => {
                  const on = (e.target as HTMLInputElement).checked;
                  this.model = drafts.togglePrerequisite(this.model, flag, other.key, on);
                }} />
              <label for="${id}-pre-${j}">${other.key}</label>
            </span>`,
            )}
          ${this.error(err('prerequisites'), `${id}-prerequisites-error`)}
        </fieldset>
        ${
          this.model.drafts[flag.key]
            ? html`<button type="button" @click=${discard}>Discard edits to ${flag.key}</button>`
            : nothing
        }
      </fieldset>
    `;
  }

  private renderApply(changes: FlagChange[]) {
    const describe = (ch: FlagChange) => drafts.describeChange(this.model, ch);
    return html`
      <form class="card" aria-labelledby="apply-heading" novalidate @submit=${this.apply}>
        <h3 id="apply-heading">Apply staged changes</h3>
        ${
          changes.length === 0
            ? html`<p class="hint">No changes staged.</p>`
            : html`<ul>
              ${changes.map((ch) => html`<li><strong>${ch.key}</strong>: ${describe(ch)}</li>`)}
            </ul>`
        }
        <div class="field">
          <label for="bulk-note">Note (required)</label>
          <textarea id="bulk-note" aria-required="true" .value=${this.model.note} aria-invalid=${this.invalid('note')}
            aria-describedby=${this.describedBy('note', 'bulk-note-error')} placeholder="Why this change?"
            @input=${(e: Event) => (this.model = drafts.setNote(this.model, valueOf(e)))}></textarea>
          ${this.error('note', 'bulk-note-error')}
        </div>
        <div class="actions">
          <button class="primary" type="submit" ?disabled=${this.busy || changes.length === 0}>
            Apply ${plural(changes.length, 'change')}
          </button>
          <button type="button" ?disabled=${this.busy || Object.keys(this.model.drafts).length === 0}
            @click=${() => (this.model = drafts.discardAll(this.model))}>Discard all edits</button>
        </div>
      </form>
    `;
  }

  private renderCreate() {
    const { create } = this.model;
    const set = (field: keyof drafts.CreateForm) => (e: Event) =>
      (this.model = drafts.setCreate(this.model, field, valueOf(e)));
    return html`
      <form class="card" aria-labelledby="create-heading" novalidate @submit=${this.create}>
        <h3 id="create-heading">Create a flag</h3>
        <p class="hint">A new flag starts off, at 0%, with its own salt.</p>
        <div class="grid">
          <div class="field">
            <label for="create-key">Key</label>
            <input id="create-key" .value=${create.key} autocomplete="off" placeholder="e.g. voice.captions"
              aria-invalid=${this.invalid('create.key')}
              aria-describedby=${this.describedBy('create.key', 'create-key-error')} @input=${set('key')} />
            ${this.error('create.key', 'create-key-error')}
          </div>
          <div class="field">
            <label for="create-description">Description</label>
            <input id="create-description" .value=${create.description}
              aria-invalid=${this.invalid('create.description')}
              aria-describedby=${this.describedBy('create.description', 'create-description-error')}
              @input=${set('description')} />
            ${this.error('create.description', 'create-description-error')}
          </div>
        </div>
        <div class="field">
          <label for="create-note">Note (required)</label>
          <input id="create-note" aria-required="true" .value=${create.note} aria-invalid=${this.invalid('create.note')}
            aria-describedby=${this.describedBy('create.note', 'create-note-error')} @input=${set('note')} />
          ${this.error('create.note', 'create-note-error')}
        </div>
        <button class="primary" type="submit" ?disabled=${this.busy}>Create flag</button>
      </form>
    `;
  }
}

defineOnce('vb-admin-flags', AdminFlagsPanel);

declare global {
  interface HTMLElementTagNameMap {
    'vb-admin-flags': AdminFlagsPanel;
  }
}
