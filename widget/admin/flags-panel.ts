import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { defineOnce } from '../define.ts';
import { AdminApiError, announce, describeError, type AdminClient, type FlagChange, type FlagConfig } from './api.ts';
import { adminStyles } from './styles.ts';

type EditableField = 'enabled' | 'rollout' | 'tenants' | 'prerequisites';

/** Local edits of one flag, not yet sent. The tenant list keeps the text as typed; it is parsed when staged. */
interface Draft {
  enabled?: boolean;
  rollout?: number;
  tenantsText?: string;
  prerequisites?: string[];
}

/** How a flag field reads in summaries and history diffs. */
export function formatFlagValue(field: string, value: unknown): string {
  if (value === undefined || value === null) return '(none)';
  if (Array.isArray(value)) return value.length ? value.join(', ') : '(none)';
  if (typeof value === 'boolean') return field === 'enabled' ? (value ? 'on' : 'off') : String(value);
  if (field === 'rollout' && typeof value === 'number') return `${value}%`;
  return String(value);
}

export const parseList = (text: string) => text.split(/[\s,]+/).filter(Boolean);
const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

/**
 * Every flag with its switch, rollout, tenant allowlist and prerequisites. Edits are staged here and sent together
 * as one `POST /admin/flags/bulk` with a note; the API's field problems are shown beside the fields they name.
 */
export class AdminFlagsPanel extends LitElement {
  static override styles = adminStyles;
  static override properties = {
    client: { attribute: false },
    flags: { state: true },
    drafts: { state: true },
    note: { state: true },
    errors: { state: true },
    formError: { state: true },
    busy: { state: true },
    loading: { state: true },
    createKey: { state: true },
    createDescription: { state: true },
    createNote: { state: true },
  };

  declare client: AdminClient | null;
  declare flags: FlagConfig[];
  declare drafts: Record<string, Draft>;
  declare note: string;
  /** Problems keyed `<flag>.<field>`, `note`, or `create.<field>`. */
  declare errors: Record<string, string>;
  declare formError: string;
  declare busy: boolean;
  declare loading: boolean;
  declare createKey: string;
  declare createDescription: string;
  declare createNote: string;

  constructor() {
    super();
    this.client = null;
    this.flags = [];
    this.drafts = {};
    this.note = '';
    this.errors = {};
    this.formError = '';
    this.busy = false;
    this.loading = false;
    this.createKey = '';
    this.createDescription = '';
    this.createNote = '';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('client') && this.client) void this.load();
  }

  async load(): Promise<void> {
    if (!this.client) return;
    this.loading = true;
    try {
      this.flags = (await this.client.listFlags()).flags;
      this.formError = '';
    } catch (e) {
      this.formError = `Could not load the flags: ${describeError(e)}`;
    } finally {
      this.loading = false;
    }
  }

  /** The staged edits as bulk changes: only fields that differ from the flag as loaded. */
  changes(): FlagChange[] {
    const out: FlagChange[] = [];
    for (const flag of this.flags) {
      const d = this.drafts[flag.key];
      if (!d) continue;
      const ch: FlagChange = { key: flag.key };
      if (d.enabled !== undefined && d.enabled !== flag.enabled) ch.enabled = d.enabled;
      if (d.rollout !== undefined && d.rollout !== flag.rollout) ch.rollout = d.rollout;
      if (d.tenantsText !== undefined && !sameList(parseList(d.tenantsText), flag.tenants)) ch.tenants = parseList(d.tenantsText);
      if (d.prerequisites !== undefined && !sameSet(d.prerequisites, flag.prerequisites)) ch.prerequisites = d.prerequisites;
      if (Object.keys(ch).length > 1) out.push(ch);
    }
    return out;
  }

  private edit(flag: FlagConfig, patch: Draft, field: EditableField): void {
    this.drafts = { ...this.drafts, [flag.key]: { ...this.drafts[flag.key], ...patch } };
    this.clearError(`${flag.key}.${field}`);
  }

  private clearError(key: string): void {
    if (!(key in this.errors)) return;
    const { [key]: _gone, ...rest } = this.errors;
    this.errors = rest;
  }

  private discard(key: string): void {
    const { [key]: _gone, ...rest } = this.drafts;
    this.drafts = rest;
    this.errors = Object.fromEntries(Object.entries(this.errors).filter(([k]) => !k.startsWith(`${key}.`)));
  }

  private onRolloutInput(flag: FlagConfig, input: HTMLInputElement): void {
    const value = input.valueAsNumber;
    if (Number.isNaN(value)) {
      this.errors = { ...this.errors, [`${flag.key}.rollout`]: 'Enter a number from 0 to 100' };
      return;
    }
    this.edit(flag, { rollout: value }, 'rollout');
  }

  private async apply(e: Event): Promise<void> {
    e.preventDefault();
    const changes = this.changes();
    if (!this.client || changes.length === 0) return;
    if (!this.note.trim()) {
      this.errors = { ...this.errors, note: 'A note is required: say why you are making this change' };
      this.focusInvalid();
      return;
    }
    this.busy = true;
    this.formError = '';
    try {
      const result = await this.client.bulkFlags(changes, this.note.trim());
      this.flags = result.flags;
      this.drafts = {};
      this.note = '';
      this.errors = {};
      announce(this, `Applied ${changes.length} flag change${changes.length === 1 ? '' : 's'} (${result.history.length} recorded in history)`);
    } catch (err) {
      this.showProblems(err, changes, (field, key) => `${key}.${field}`, 'note');
      announce(this, 'Nothing was applied: see the problems shown beside the fields');
      this.focusInvalid();
    } finally {
      this.busy = false;
    }
  }

  /** Maps the API's `details` onto fields; what names no field becomes the form's error. */
  private showProblems(err: unknown, sent: FlagChange[], fieldKey: (field: string, flagKey: string) => string, noteKey: string): void {
    const errors: Record<string, string> = {};
    const general: string[] = [];
    if (err instanceof AdminApiError && err.code === 'prerequisite_cycle') {
      const cycle = (err.details as { cycle?: unknown } | undefined)?.cycle;
      for (const key of Array.isArray(cycle) ? cycle : []) {
        if (sent.some((ch) => ch.key === key && ch.prerequisites)) errors[fieldKey('prerequisites', String(key))] = err.message;
      }
    }
    for (const p of err instanceof AdminApiError ? err.problems : []) {
      const m = /^changes\.(\d+)(?:\.([a-z]+))?/i.exec(p.path);
      const change = m ? sent[Number(m[1])] : undefined;
      const setKey = p.path.endsWith('.prerequisites') ? p.path.slice(0, -'.prerequisites'.length) : null;
      if (change) {
        const field = m![2] && ['enabled', 'rollout', 'tenants', 'prerequisites', 'description'].includes(m![2]) ? m![2] : 'key';
        errors[fieldKey(field, change.key)] ??= p.message;
      } else if (p.path === 'note') {
        errors[noteKey] = p.message;
      } else if (setKey && this.flags.some((f) => f.key === setKey)) {
        errors[fieldKey('prerequisites', setKey)] ??= p.message;
      } else {
        general.push(`${p.path}: ${p.message}`);
      }
    }
    this.errors = errors;
    const mapped = Object.keys(errors).length > 0;
    this.formError = mapped && general.length === 0 ? 'Nothing was applied. Fix the fields marked below.' : `Nothing was applied. ${general.length ? general.join('; ') : describeError(err)}`;
  }

  private focusInvalid(): void {
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
  }

  private async create(e: Event): Promise<void> {
    e.preventDefault();
    if (!this.client) return;
    const key = this.createKey.trim();
    const local: Record<string, string> = {};
    if (!key) local['create.key'] = 'Enter a key, e.g. voice.captions';
    if (!this.createNote.trim()) local['create.note'] = 'A note is required: say why you are adding this flag';
    if (Object.keys(local).length) {
      this.errors = { ...this.errors, ...local };
      this.focusInvalid();
      return;
    }
    const change: FlagChange = { key, create: true, description: this.createDescription.trim() };
    this.busy = true;
    try {
      const result = await this.client.bulkFlags([change], this.createNote.trim());
      this.flags = result.flags;
      this.createKey = this.createDescription = this.createNote = '';
      this.errors = Object.fromEntries(Object.entries(this.errors).filter(([k]) => !k.startsWith('create.')));
      this.formError = '';
      announce(this, `Created flag ${key}: off, at 0%`);
    } catch (err) {
      const kept = Object.fromEntries(Object.entries(this.errors).filter(([k]) => !k.startsWith('create.')));
      this.showProblems(err, [change], (field) => `create.${field === 'description' ? 'description' : 'key'}`, 'create.note');
      if (!Object.keys(this.errors).some((k) => k.startsWith('create.'))) this.errors['create.key'] = describeError(err);
      this.errors = { ...kept, ...this.errors };
      this.formError = '';
      announce(this, `The flag was not created: ${describeError(err)}`);
      this.focusInvalid();
    } finally {
      this.busy = false;
    }
  }

  private error(key: string, id: string) {
    const message = this.errors[key];
    return message ? html`<p class="error" id=${id}>${message}</p>` : nothing;
  }

  private invalid = (key: string) => (this.errors[key] ? 'true' : 'false');

  /** aria-describedby naming only elements that are there: the hint, and the error while there is one. */
  private describedBy(key: string, errorId: string, hintId?: string) {
    const ids = [hintId, this.errors[key] ? errorId : undefined].filter(Boolean);
    return ifDefined(ids.length ? ids.join(' ') : undefined);
  }

  protected override render() {
    const changes = this.changes();
    return html`
      <h2 id="flags-heading">Feature flags</h2>
      <p class="hint">Edits are staged here and applied together, with a note, as one change.
        ${changes.length ? html`<strong>${changes.length} flag${changes.length === 1 ? '' : 's'} staged.</strong>` : nothing}</p>
      ${this.formError ? html`<div class="banner" role="alert">${this.formError}</div>` : nothing}
      ${this.loading && this.flags.length === 0 ? html`<p>Loading flags…</p>` : nothing}
      ${this.flags.map((flag, i) => this.renderFlag(flag, i, changes.some((c) => c.key === flag.key)))}
      ${this.renderApply(changes)} ${this.renderCreate()}
    `;
  }

  private renderFlag(flag: FlagConfig, i: number, staged: boolean) {
    const d = this.drafts[flag.key] ?? {};
    const id = `f${i}`;
    const enabled = d.enabled ?? flag.enabled;
    const rollout = d.rollout ?? flag.rollout;
    const prerequisites = d.prerequisites ?? flag.prerequisites;
    const err = (field: string) => `${flag.key}.${field}`;
    return html`
      <fieldset class="card ${staged ? 'staged' : ''}" data-flag=${flag.key}>
        <legend>${flag.key}${staged ? html` <span class="badge">staged</span>` : nothing}</legend>
        ${flag.description ? html`<p class="hint">${flag.description}</p>` : nothing} ${this.error(err('key'), `${id}-key-error`)}
        <div class="check">
          <input type="checkbox" id="${id}-enabled" .checked=${enabled} aria-describedby=${this.describedBy(err('enabled'), `${id}-enabled-error`)}
            aria-invalid=${this.invalid(err('enabled'))}
            @change=${(e: Event) => this.edit(flag, { enabled: (e.target as HTMLInputElement).checked }, 'enabled')} />
          <label for="${id}-enabled"><strong>Enabled</strong></label>
          ${this.error(err('enabled'), `${id}-enabled-error`)}
        </div>
        <div class="grid">
          <div class="field">
            <label for="${id}-rollout">Rollout (% of units)</label>
            <div class="inline">
              <input type="range" min="0" max="100" step="0.01" .value=${String(rollout)} aria-label="Rollout of ${flag.key}, slider"
                @input=${(e: Event) => this.onRolloutInput(flag, e.target as HTMLInputElement)} />
              <input type="number" id="${id}-rollout" min="0" max="100" step="0.01" .value=${String(rollout)}
                aria-invalid=${this.invalid(err('rollout'))} aria-describedby=${this.describedBy(err('rollout'), `${id}-rollout-error`)}
                @input=${(e: Event) => this.onRolloutInput(flag, e.target as HTMLInputElement)} />
            </div>
            ${this.error(err('rollout'), `${id}-rollout-error`)}
          </div>
          <div class="field">
            <label for="${id}-tenants">Tenant allowlist</label>
            <span class="hint" id="${id}-tenants-hint">Tenant ids separated by commas; they get the flag at any rollout.</span>
            <input id="${id}-tenants" .value=${d.tenantsText ?? flag.tenants.join(', ')} autocomplete="off"
              aria-invalid=${this.invalid(err('tenants'))} aria-describedby=${this.describedBy(err('tenants'), `${id}-tenants-error`, `${id}-tenants-hint`)}
              @input=${(e: Event) => this.edit(flag, { tenantsText: (e.target as HTMLInputElement).value }, 'tenants')} />
            ${this.error(err('tenants'), `${id}-tenants-error`)}
          </div>
        </div>
        <fieldset aria-describedby=${this.describedBy(err('prerequisites'), `${id}-prerequisites-error`)}>
          <legend>Prerequisites of ${flag.key}</legend>
          ${this.flags.filter((o) => o.key !== flag.key).map((other, j) => html`
            <span class="check">
              <input type="checkbox" id="${id}-pre-${j}" .checked=${prerequisites.includes(other.key)}
                aria-invalid=${this.invalid(err('prerequisites'))}
                @change=${(e: Event) => {
                  const on = (e.target as HTMLInputElement).checked;
                  const next = on ? [...prerequisites, other.key] : prerequisites.filter((k) => k !== other.key);
                  this.edit(flag, { prerequisites: next }, 'prerequisites');
                }} />
              <label for="${id}-pre-${j}">${other.key}</label>
            </span>`)}
          ${this.error(err('prerequisites'), `${id}-prerequisites-error`)}
        </fieldset>
        ${this.drafts[flag.key] ? html`<button type="button" @click=${() => this.discard(flag.key)}>Discard edits to ${flag.key}</button>` : nothing}
      </fieldset>
    `;
  }

  private renderApply(changes: FlagChange[]) {
    const before = (key: string) => this.flags.find((f) => f.key === key);
    return html`
      <form class="card" aria-labelledby="apply-heading" novalidate @submit=${this.apply}>
        <h3 id="apply-heading">Apply staged changes</h3>
        ${changes.length === 0
          ? html`<p class="hint">No changes staged.</p>`
          : html`<ul>
              ${changes.map((ch) => html`<li><strong>${ch.key}</strong>: ${(Object.keys(ch) as Array<keyof FlagChange>)
                .filter((k) => k !== 'key')
                .map((k) => `${k} ${formatFlagValue(k, before(ch.key)?.[k as EditableField])} → ${formatFlagValue(k, ch[k])}`)
                .join('; ')}</li>`)}
            </ul>`}
        <div class="field">
          <label for="bulk-note">Note (required)</label>
          <textarea id="bulk-note" aria-required="true" .value=${this.note} aria-invalid=${this.invalid('note')}
            aria-describedby=${this.describedBy('note', 'bulk-note-error')} placeholder="Why this change?"
            @input=${(e: Event) => {
              this.note = (e.target as HTMLTextAreaElement).value;
              this.clearError('note');
            }}></textarea>
          ${this.error('note', 'bulk-note-error')}
        </div>
        <div class="actions">
          <button class="primary" type="submit" ?disabled=${this.busy || changes.length === 0}>
            Apply ${changes.length} change${changes.length === 1 ? '' : 's'}
          </button>
          <button type="button" ?disabled=${this.busy || Object.keys(this.drafts).length === 0}
            @click=${() => { this.drafts = {}; this.errors = {}; this.formError = ''; }}>Discard all edits</button>
        </div>
      </form>
    `;
  }

  private renderCreate() {
    return html`
      <form class="card" aria-labelledby="create-heading" novalidate @submit=${this.create}>
        <h3 id="create-heading">Create a flag</h3>
        <p class="hint">A new flag starts off, at 0%, with its own salt.</p>
        <div class="grid">
          <div class="field">
            <label for="create-key">Key</label>
            <input id="create-key" .value=${this.createKey} autocomplete="off" placeholder="e.g. voice.captions"
              aria-invalid=${this.invalid('create.key')} aria-describedby=${this.describedBy('create.key', 'create-key-error')}
              @input=${(e: Event) => { this.createKey = (e.target as HTMLInputElement).value; this.clearError('create.key'); }} />
            ${this.error('create.key', 'create-key-error')}
          </div>
          <div class="field">
            <label for="create-description">Description</label>
            <input id="create-description" .value=${this.createDescription} aria-invalid=${this.invalid('create.description')}
              aria-describedby=${this.describedBy('create.description', 'create-description-error')}
              @input=${(e: Event) => { this.createDescription = (e.target as HTMLInputElement).value; this.clearError('create.description'); }} />
            ${this.error('create.description', 'create-description-error')}
          </div>
        </div>
        <div class="field">
          <label for="create-note">Note (required)</label>
          <input id="create-note" aria-required="true" .value=${this.createNote} aria-invalid=${this.invalid('create.note')}
            aria-describedby=${this.describedBy('create.note', 'create-note-error')}
            @input=${(e: Event) => { this.createNote = (e.target as HTMLInputElement).value; this.clearError('create.note'); }} />
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
