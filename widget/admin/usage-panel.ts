import { html, LitElement, nothing, svg } from 'lit';
import { defineOnce } from '../define.ts';
import type { AdminClient, UsageCount, UsageRow } from './api.ts';
import { PanelLoad } from './load.ts';
import { adminStyles } from './styles.ts';

/** The current calendar month in UTC, as the limits count it. */
export const utcMonth = (d = new Date()) => d.toISOString().slice(0, 7);

const METRICS: Array<['voiceSessions' | 'avatarSessions' | 'generations' | 'ttsCharacters', string]> = [
  ['voiceSessions', 'Voice sessions'],
  ['avatarSessions', 'Avatar sessions'],
  ['generations', 'Generations'],
  ['ttsCharacters', 'Spoken characters'],
];

const number = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
const usd = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD' });

/** Monthly usage per tenant as bars; every bar has its numbers written beside it (the bar itself is decoration). */
export class AdminUsagePanel extends LitElement {
  static override styles = adminStyles;
  static override properties = {
    client: { attribute: false },
    month: { state: true },
  };

  declare client: AdminClient | null;
  declare month: string;

  private readonly usage = new PanelLoad(this, {
    args: () => [this.client, this.month] as const,
    load: ([client, month], signal) => client.usage(month || undefined, { signal }),
    failure: 'Could not load the usage: ',
  });

  constructor() {
    super();
    this.client = null;
    this.month = utcMonth();
  }

  /** Refresh, and the console when the tab is visited again. */
  load(): Promise<boolean> {
    return this.usage.run();
  }

  /** A new month loads by itself: it is one of the load's args. */
  private pick(e: Event): void {
    const value = (e.target as HTMLInputElement).value;
    if (/^\d{4}-\d{2}$/.test(value)) this.month = value;
  }

  protected override render() {
    const { value: report, pending, error } = this.usage;
    return html`
      <h2>Usage</h2>
      <div class="inline">
        <label for="usage-month">Month (UTC)</label>
        <input type="month" id="usage-month" .value=${this.month} max=${utcMonth()} @change=${this.pick} />
        <button type="button" ?disabled=${pending} @click=${() => this.load()}>Refresh</button>
      </div>
      ${error ? html`<div class="banner" role="alert">${error}</div>` : nothing}
      <div aria-busy=${pending ? 'true' : 'false'}>
        ${
          report
            ? report.usage.length
              ? report.usage.map((row) => this.renderTenant(row))
              : html`<p>No tenants.</p>`
            : pending
              ? html`<p>Loading usage…</p>`
              : nothing
        }
      </div>
    `;
  }

  private renderTenant(row: UsageRow) {
    const headingId = `usage-${row.tenant}`;
    return html`
      <section class="card" aria-labelledby=${headingId} data-tenant=${row.tenant}>
        <h3 id=${headingId}>${row.tenant}</h3>
        <ul class="plain">
          ${METRICS.map(([key, label]) => (row[key] ? this.renderBar(key, label, row[key]) : nothing))}
        </ul>
        ${
          typeof row.avatarMinutes === 'number'
            ? html`<p data-metric="avatarMinutes">
              <strong>Avatar minutes</strong>: ${number.format(row.avatarMinutes)}</p>`
            : nothing
        }
        ${
          typeof row.avatarCostUsd === 'number'
            ? html`<p data-metric="avatarCostUsd">
              <strong>Avatar cost</strong>: ${usd.format(row.avatarCostUsd)} (estimate)</p>`
            : nothing
        }
      </section>
    `;
  }

  private renderBar(key: string, label: string, { used, limit }: UsageCount) {
    const share = limit === null ? 0 : limit === 0 ? (used > 0 ? 1 : 0) : Math.min(1, used / limit);
    const full = limit !== null && used >= limit;
    const text =
      limit === null
        ? `${number.format(used)} used (no limit)`
        : `${number.format(used)} of ${number.format(limit)} (${Math.round(share * 100)}%)`;
    const reached = full ? html` <span class="badge status-error">limit reached</span>` : nothing;
    const fill = full ? '#b3261e' : share >= 0.8 ? '#8a5300' : '#0b5cad';
    return html`
      <li class="field" data-metric=${key}>
        <span><strong>${label}</strong>: <span class="value">${text}</span>${reached}</span>
        <svg width="100%" height="12" viewBox="0 0 100 12" preserveAspectRatio="none" aria-hidden="true"
          focusable="false">
          ${svg`<rect x="0" y="0" width="100" height="12" rx="2" fill="#e3e7eb"></rect>
            <rect x="0" y="0" width=${(share * 100).toFixed(2)} height="12" rx="2" fill=${fill}></rect>`}
        </svg>
      </li>
    `;
  }
}

defineOnce('vb-admin-usage', AdminUsagePanel);

declare global {
  interface HTMLElementTagNameMap {
    'vb-admin-usage': AdminUsagePanel;
  }
}
