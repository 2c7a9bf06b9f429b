import { html, LitElement, nothing } from 'lit';
import { defineOnce } from '../define.ts';
import type { AdminClient, AlertEpisode } from './api.ts';
import { PanelLoad } from './load.ts';
import { alertValue, formatDuration, formatWhen, metricLabel, sortAlerts } from './report-model.ts';
import { adminStyles, sectionStyles } from './styles.ts';
import { tenantSelect, tenantsLoad } from './tenant-select.ts';

const when = (iso: string) => html`<time datetime=${iso}>${formatWhen(iso)}</time>`;

/** Breach episodes from `GET /admin/alerts`, open ones first; filtered by tenant and to the open ones. */
export class AdminAlertsPanel extends LitElement {
  static override styles = [adminStyles, sectionStyles];
  static override properties = {
    client: { attribute: false },
    tenant: { state: true },
    openOnly: { state: true },
  };

  declare client: AdminClient | null;
  declare tenant: string;
  declare openOnly: boolean;

  private readonly tenants = tenantsLoad(this);

  private readonly alerts = new PanelLoad(this, {
    args: () => [this.client, this.tenant, this.openOnly] as const,
    load: ([client, tenant, openOnly], signal) =>
      client.alerts({ tenant: tenant || undefined, open: openOnly ? true : undefined }, { signal }),
    failure: 'Could not load the alerts: ',
  });

  constructor() {
    super();
    this.client = null;
    this.tenant = '';
    this.openOnly = false;
  }

  load(): Promise<boolean> {
    void this.tenants.run();
    return this.alerts.run();
  }

  protected override render() {
    const { value, pending, error } = this.alerts;
    const alerts = value ? sortAlerts(value.alerts) : [];
    const open = alerts.filter((a) => a.closedAt === null).length;
    return html`
      <h2>Alerts</h2>
      <form class="filters" aria-label="Which alerts" @submit=${(e: Event) => e.preventDefault()}>
        ${tenantSelect({
          id: 'al-tenant',
          value: this.tenant,
          tenants: this.tenants.value?.tenants,
          error: this.tenants.error ? 'The list of tenants could not be loaded.' : '',
          onChange: (t) => (this.tenant = t),
        })}
        <div class="check">
          <input type="checkbox" id="al-open" .checked=${this.openOnly}
            @change=${(e: Event) => (this.openOnly = (e.target as HTMLInputElement).checked)} />
          <label for="al-open">Open only</label>
        </div>
        <div class="filter-actions">
          <button type="button" ?disabled=${pending} @click=${() => this.load()}>Refresh</button>
        </div>
      </form>
      ${error ? html`<div class="banner" role="alert">${error}</div>` : nothing}
      <div class="results ${pending && value ? 'stale' : ''}" aria-busy=${pending ? 'true' : 'false'}>
        ${
          value
            ? alerts.length
              ? html`<p data-count>${open} open, ${alerts.length - open} closed</p>
                <ul class="plain alerts">${alerts.map((a) => this.renderAlert(a))}</ul>`
              : html`<div class="card empty-state" data-empty>
                <p>${
                  this.openOnly
                    ? 'No open alerts: every metric is within its thresholds.'
                    : 'No alerts recorded: no metric has crossed its threshold.'
                }</p>
              </div>`
            : pending
              ? html`<div class="card skeleton chart-skeleton">Loading the alerts…</div>`
              : nothing
        }
      </div>
    `;
  }

  private renderAlert(a: AlertEpisode) {
    const isOpen = a.closedAt === null;
    const headingId = `alert-${a.id}`;
    return html`
      <li class="card alert ${isOpen ? 'open' : ''}" data-alert=${a.id}>
        <h3 id=${headingId}>
          <span>${metricLabel(a.metric)}</span>
          <span class="badge status-${isOpen ? 'error' : 'muted'}" data-state>${isOpen ? 'Open' : 'Closed'}</span>
        </h3>
        <p><strong>${alertValue(a)}</strong> · ${a.tenant ?? 'All tenants'}</p>
        <p class="hint">
          Opened ${when(a.openedAt)}${
            a.closedAt ? html`, closed ${when(a.closedAt)} (after ${formatDuration(a.openedAt, a.closedAt)})` : nothing
          }
        </p>
        <p class="hint">${a.notifiedAt ? html`Webhook sent ${when(a.notifiedAt)}` : 'No webhook sent'}</p>
      </li>
    `;
  }
}

defineOnce('vb-admin-alerts', AdminAlertsPanel);

declare global {
  interface HTMLElementTagNameMap {
    'vb-admin-alerts': AdminAlertsPanel;
  }
}
