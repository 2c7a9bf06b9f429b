import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { defineOnce } from '../define.ts';
import { announce, describeError, type AdminClient, type FlagConfig, type FlagHistoryEntry } from './api.ts';
import { formatFlagValue } from './flags-panel.ts';
import { adminStyles } from './styles.ts';

const DIFF_FIELDS = ['description', 'enabled', 'rollout', 'tenants', 'prerequisites', 'salt'] as const;
type DiffField = (typeof DIFF_FIELDS)[number];

/** Only what changed: updatedAt/updatedBy are the entry's own time and actor, shown apart. */
export function flagDiff(before: FlagConfig | null, after: FlagConfig | null): Array<{ field: DiffField; from: unknown; to: unknown }> {
  return DIFF_FIELDS.filter((f) => JSON.stringify(before?.[f]) !== JSON.stringify(after?.[f])).map((field) => ({
    field,
    from: before?.[field],
    to: after?.[field],
  }));
}

const PAGE = 20;

/** The flag history, newest first, filtered by key, a page at a time; each entry can be rolled back after a confirmation. */
export class AdminHistoryPanel extends LitElement {
  static override styles = adminStyles;
  static override properties = {
    client: { attribute: false },
    entries: { state: true },
    nextCursor: { state: true },
    filter: { state: true },
    loading: { state: true },
    error: { state: true },
    confirming: { state: true },
    rollbackNote: { state: true },
    entryError: { state: true },
  };

  declare client: AdminClient | null;
  declare entries: FlagHistoryEntry[];
  declare nextCursor: string | null;
  /** The key the list is filtered by ('' for all). */
  declare filter: string;
  declare loading: boolean;
  declare error: string;
  /** The entry whose rollback waits for confirmation. */
  declare confirming: number | null;
  declare rollbackNote: string;
  declare entryError: { id: number; message: string } | null;

  private filterText = '';

  constructor() {
    super();
    this.client = null;
    this.entries = [];
    this.nextCursor = null;
    this.filter = '';
    this.loading = false;
    this.error = '';
    this.confirming = null;
    this.rollbackNote = '';
    this.entryError = null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('client') && this.client) void this.load();
  }

  async load(more = false): Promise<void> {
    if (!this.client) return;
    this.loading = true;
    this.error = '';
    try {
      const page = await this.client.flagHistory({ key: this.filter || undefined, limit: PAGE, cursor: more ? this.nextCursor : null });
      this.entries = more ? [...this.entries, ...page.entries] : page.entries;
      this.nextCursor = page.nextCursor;
      if (more) announce(this, `Loaded ${page.entries.length} more entries`);
    } catch (e) {
      this.error = `Could not load the history: ${describeError(e)}`;
    } finally {
      this.loading = false;
    }
  }

  private applyFilter(e: Event): void {
    e.preventDefault();
    this.filter = this.filterText.trim();
    this.confirming = null;
    void this.load();
  }

  private askRollback(id: number): void {
    this.confirming = id;
    this.rollbackNote = '';
    this.entryError = null;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#rollback-note')?.focus());
  }

  private cancelRollback(id: number): void {
    this.confirming = null;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`[data-rollback="${id}"]`)?.focus());
  }

  private async rollback(e: Event, entry: FlagHistoryEntry): Promise<void> {
    e.preventDefault();
    if (!this.client) return;
    this.loading = true;
    try {
      await this.client.rollback(entry.id, this.rollbackNote.trim() || undefined);
      this.confirming = null;
      announce(this, `Rolled back #${entry.id} (${entry.key})`);
      await this.load();
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('h2')?.focus();
    } catch (err) {
      this.entryError = { id: entry.id, message: `Not rolled back: ${describeError(err)}` };
      announce(this, this.entryError.message);
    } finally {
      this.loading = false;
    }
  }

  protected override render() {
    return html`
      <h2 tabindex="-1">Flag history</h2>
      <form class="inline" role="search" aria-label="Filter the history" @submit=${this.applyFilter}>
        <label for="history-key">Flag key</label>
        <input id="history-key" .value=${this.filterText} placeholder="all flags" autocomplete="off"
          @input=${(e: Event) => (this.filterText = (e.target as HTMLInputElement).value)} />
        <button type="submit">Filter</button>
      </form>
      ${this.filter ? html`<p class="hint">Showing changes to <strong>${this.filter}</strong>.</p>` : nothing}
      ${this.error ? html`<div class="banner" role="alert">${this.error}</div>` : nothing}
      ${this.entries.length === 0 && !this.loading ? html`<p>No history entries.</p>` : nothing}
      <ul class="plain" aria-label="History entries">
        ${this.entries.map((entry) => this.renderEntry(entry))}
      </ul>
      <div class="actions">
        ${this.nextCursor
          ? html`<button type="button" ?disabled=${this.loading} @click=${() => this.load(true)}>Load more</button>`
          : this.entries.length
            ? html`<p class="hint">End of the history.</p>`
            : nothing}
      </div>
    `;
  }

  private renderEntry(entry: FlagHistoryEntry) {
    const diff = flagDiff(entry.before, entry.after);
    const what = entry.before === null ? 'created' : entry.after === null ? 'removed' : 'changed';
    const headingId = `h${entry.id}`;
    return html`
      <li class="card" data-entry=${entry.id}>
        <h3 id=${headingId}>#${entry.id} ${entry.key} ${what}</h3>
        <p>
          by <strong>${entry.actor}</strong> at <time datetime=${entry.at}>${new Date(entry.at).toLocaleString()}</time>
          ${entry.rollbackOf ? html` · rollback of #${entry.rollbackOf}` : nothing}
        </p>
        <p>Note: ${entry.note}</p>
        ${diff.length
          ? html`<table>
              <caption class="visually-hidden">Changes in #${entry.id}</caption>
              <thead><tr><th scope="col">Field</th><th scope="col">Before</th><th scope="col">After</th></tr></thead>
              <tbody>
                ${diff.map((d) => html`<tr data-field=${d.field}>
                  <th scope="row">${d.field}</th>
                  <td><del>${formatFlagValue(d.field, d.from)}</del></td>
                  <td><ins>→ ${formatFlagValue(d.field, d.to)}</ins></td>
                </tr>`)}
              </tbody>
            </table>`
          : html`<p class="hint">No configuration change.</p>`}
        ${this.entryError?.id === entry.id ? html`<p class="error" role="alert">${this.entryError.message}</p>` : nothing}
        ${this.confirming === entry.id ? this.renderConfirm(entry) : html`
          <button type="button" class="danger" data-rollback=${entry.id} @click=${() => this.askRollback(entry.id)}>
            Roll back #${entry.id}
          </button>`}
      </li>
    `;
  }

  private renderConfirm(entry: FlagHistoryEntry) {
    const effect = entry.before === null ? `removes the flag ${entry.key}` : `puts ${entry.key} back as it was before #${entry.id}`;
    return html`
      <form class="card staged" aria-label="Confirm the rollback of #${entry.id}" @submit=${(e: Event) => this.rollback(e, entry)}
        @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && this.cancelRollback(entry.id)}>
        <p><strong>Roll back #${entry.id}?</strong> This ${effect}.</p>
        <div class="field">
          <label for="rollback-note">Note (optional)</label>
          <input id="rollback-note" .value=${this.rollbackNote} placeholder="Rollback of #${entry.id}"
            @input=${(e: Event) => (this.rollbackNote = (e.target as HTMLInputElement).value)} />
        </div>
        <div class="actions">
          <button type="submit" class="primary" ?disabled=${this.loading}>Confirm roll back</button>
          <button type="button" @click=${() => this.cancelRollback(entry.id)}>Cancel</button>
        </div>
      </form>
    `;
  }
}

defineOnce('vb-admin-history', AdminHistoryPanel);

declare global {
  interface HTMLElementTagNameMap {
    'vb-admin-history': AdminHistoryPanel;
  }
}
