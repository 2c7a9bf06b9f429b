import { html, LitElement, nothing } from 'lit';
import { defineOnce } from '../define.ts';
import { announce, describeError } from './api.ts';
import type { AdminClient, FlagConfig, FlagHistoryEntry, HistoryPage } from './api.ts';
import { formatFlagValue } from './flag-drafts.ts';
import { PanelLoad } from './load.ts';
import { adminStyles } from './styles.ts';

const DIFF_FIELDS = ['description', 'enabled', 'rollout', 'tenants', 'prerequisites', 'salt'] as const;
type DiffField = (typeof DIFF_FIELDS)[number];
type DiffRow = { field: DiffField; from: unknown; to: unknown };

/** Only what changed: updatedAt/updatedBy are the entry's own time and actor, shown apart. */
export function flagDiff(before: FlagConfig | null, after: FlagConfig | null): DiffRow[] {
  return DIFF_FIELDS.filter((f) => JSON.stringify(before?.[f]) !== JSON.stringify(after?.[f])).map((field) => ({
    field,
    from: before?.[field],
    to: after?.[field],
  }));
}

const PAGE = 20;

/** The flag history, newest first, filtered by key, a page at a time; an entry can be rolled back once confirmed. */
export class AdminHistoryPanel extends LitElement {
  static override styles = adminStyles;
  static override properties = {
    client: { attribute: false },
    filter: { state: true },
    rolling: { state: true },
    confirming: { state: true },
    rollbackNote: { state: true },
    entryError: { state: true },
  };

  declare client: AdminClient | null;
  /** The key the list is filtered by ('' for all). */
  declare filter: string;
  /** A rollback is on its way (and the reload after it). */
  declare rolling: boolean;
  /** The entry whose rollback waits for confirmation. */
  declare confirming: number | null;
  declare rollbackNote: string;
  declare entryError: { id: number; message: string } | null;

  private filterText = '';
  /** What "Load more" appends to: the run it starts reads and clears it; every other run starts at the top. */
  private appendTo: HistoryPage | null = null;

  private readonly history = new PanelLoad(this, {
    args: () => [this.client, this.filter] as const,
    load: async ([client, filter], signal) => {
      const base = this.appendTo;
      this.appendTo = null;
      const query = { key: filter || undefined, limit: PAGE, cursor: base?.nextCursor };
      const page = await client.flagHistory(query, { signal });
      return base ? { entries: [...base.entries, ...page.entries], nextCursor: page.nextCursor } : page;
    },
    failure: 'Could not load the history: ',
  });

  constructor() {
    super();
    this.client = null;
    this.filter = '';
    this.rolling = false;
    this.confirming = null;
    this.rollbackNote = '';
    this.entryError = null;
  }

  /** The first page again: after a rollback, and from the console when the tab is visited again. */
  load(): Promise<boolean> {
    return this.history.run();
  }

  private async loadMore(): Promise<void> {
    const base = this.history.value ?? null;
    this.appendTo = base;
    if ((await this.history.run()) && !this.history.error) {
      announce(this, `Loaded ${(this.history.value?.entries.length ?? 0) - (base?.entries.length ?? 0)} more entries`);
    }
  }

  private applyFilter(e: Event): void {
    e.preventDefault();
    this.filter = this.filterText.trim();
    this.confirming = null;
    // Run now, not only when the filter changed: filtering by the same key again fetches it again, as it always did.
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
    this.rolling = true;
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
      this.rolling = false;
    }
  }

  protected override render() {
    const { value, pending, error } = this.history;
    const entries = value?.entries ?? [];
    const busy = pending || this.rolling;
    return html`
      <h2 tabindex="-1">Flag history</h2>
      <form class="inline" role="search" aria-label="Filter the history" @submit=${this.applyFilter}>
        <label for="history-key">Flag key</label>
        <input id="history-key" .value=${this.filterText} placeholder="all flags" autocomplete="off"
          @input=${(e: Event) => (this.filterText = (e.target as HTMLInputElement).value)} />
        <button type="submit">Filter</button>
      </form>
      ${this.filter ? html`<p class="hint">Showing changes to <strong>${this.filter}</strong>.</p>` : nothing}
      ${error ? html`<div class="banner" role="alert">${error}</div>` : nothing}
      ${entries.length === 0 && !busy ? html`<p>No history entries.</p>` : nothing}
      <ul class="plain" aria-label="History entries">
        ${entries.map((entry) => this.renderEntry(entry, busy))}
      </ul>
      <div class="actions">
        ${
          value?.nextCursor
            ? html`<button type="button" ?disabled=${busy} @click=${() => this.loadMore()}>Load more</button>`
            : entries.length
              ? html`<p class="hint">End of the history.</p>`
              : nothing
        }
      </div>
    `;
  }

  private renderEntry(entry: FlagHistoryEntry, busy: boolean) {
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
        ${
          diff.length
            ? html`<table>
              <caption class="visually-hidden">Changes in #${entry.id}</caption>
              <thead><tr><th scope="col">Field</th><th scope="col">Before</th><th scope="col">After</th></tr></thead>
              <tbody>
                ${diff.map(
                  (d) => html`<tr data-field=${d.field}>
                  <th scope="row">${d.field}</th>
                  <td><del>${formatFlagValue(d.field, d.from)}</del></td>
                  <td><ins>→ ${formatFlagValue(d.field, d.to)}</ins></td>
                </tr>`,
                )}
              </tbody>
            </table>`
            : html`<p class="hint">No configuration change.</p>`
        }
        ${
          this.entryError?.id === entry.id
            ? html`<p class="error" role="alert">${this.entryError.message}</p>`
            : nothing
        }
        ${
          this.confirming === entry.id
            ? this.renderConfirm(entry, busy)
            : html`
          <button type="button" class="danger" data-rollback=${entry.id} @click=${() => this.askRollback(entry.id)}>
            Roll back #${entry.id}
          </button>`
        }
      </li>
    `;
  }

  private renderConfirm(entry: FlagHistoryEntry, busy: boolean) {
    const effect =
      entry.before === null ? `removes the flag ${entry.key}` : `puts ${entry.key} back as it was before #${entry.id}`;
    return html`
      <form class="card staged" aria-label="Confirm the rollback of #${entry.id}"
        @submit=${(e: Event) => this.rollback(e, entry)}
        @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && this.cancelRollback(entry.id)}>
        <p><strong>Roll back #${entry.id}?</strong> This ${effect}.</p>
        <div class="field">
          <label for="rollback-note">Note (optional)</label>
          <input id="rollback-note" .value=${this.rollbackNote} placeholder="Rollback of #${entry.id}"
            @input=${(e: Event) => (this.rollbackNote = (e.target as HTMLInputElement).value)} />
        </div>
        <div class="actions">
          <button type="submit" class="primary" ?disabled=${busy}>Confirm roll back</button>
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
