import { html, LitElement, nothing } from 'lit';
import { defineOnce } from '../define.ts';
import { AdminApiError, type AdminClient, type AnalyticsResponse } from './api.ts';
import * as m from './analytics-model.ts';
import './chart.ts';
import { PanelLoad } from './load.ts';
import { adminStyles, sectionStyles } from './styles.ts';
import { tenantSelect, tenantsLoad } from './tenant-select.ts';

const PRESETS = [7, 30, 90] as const;

/**
 * Analytics per tenant (or all) over a date range, from `GET /admin/analytics`: headline numbers, then six charts
 * (sessions and success rate, connect time, widget ready and avatar sync, fallbacks by reason, errors, cost per day),
 * each with its summary and data table. The range is checked by the Worker's own rules before it is asked for;
 * what the Worker still refuses is shown beside the field it names.
 */
export class AdminAnalyticsPanel extends LitElement {
  static override styles = [adminStyles, sectionStyles];
  static override properties = {
    client: { attribute: false },
    tenant: { state: true },
    from: { state: true },
    to: { state: true },
    draft: { state: true },
    problems: { state: true },
  };

  declare client: AdminClient | null;
  /** '' for all tenants. */
  declare tenant: string;
  /** The range asked for (UTC days). */
  declare from: string;
  declare to: string;
  /** The date fields as typed, applied by Show. */
  declare draft: { from: string; to: string };
  declare problems: m.RangeProblems & { tenant?: string };

  private readonly today = m.utcDay();
  private readonly tenants = tenantsLoad(this);

  private readonly analytics = new PanelLoad(this, {
    args: () => [this.client, this.tenant, this.from, this.to] as const,
    load: async ([client, tenant, from, to], signal) => {
      try {
        return await client.analytics({ tenant: tenant || undefined, from, to }, { signal });
      } catch (e) {
        if (e instanceof AdminApiError) this.problems = problemsOf(e);
        throw e;
      }
    },
    failure: 'Could not load the analytics: ',
  });

  constructor() {
    super();
    this.client = null;
    this.tenant = '';
    ({ from: this.from, to: this.to } = m.lastDays(30, this.today));
    this.draft = { from: this.from, to: this.to };
    this.problems = {};
  }

  /** Refresh, and the console when the tab is visited again. */
  async load(): Promise<boolean> {
    void this.tenants.run();
    return this.analytics.run();
  }

  private apply(e?: Event): void {
    e?.preventDefault();
    const problems = m.rangeProblems(this.draft.from, this.draft.to);
    this.problems = problems;
    if (problems.from || problems.to) {
      void this.updateComplete.then(() =>
        this.renderRoot.querySelector<HTMLElement>(`#an-${problems.from ? 'from' : 'to'}`)?.focus(),
      );
      return;
    }
    const same = this.from === this.draft.from && this.to === this.draft.to;
    ({ from: this.from, to: this.to } = this.draft);
    // The same range again is a refresh: the args did not change, so the Task would not run by itself.
    if (same) void this.analytics.run();
  }

  private preset(days: number): void {
    this.draft = m.lastDays(days, this.today);
    this.apply();
  }

  private pickTenant(tenant: string): void {
    this.problems = {};
    this.tenant = tenant;
  }

  private edit(field: 'from' | 'to', e: Event): void {
    this.draft = { ...this.draft, [field]: (e.target as HTMLInputElement).value };
  }

  protected override render() {
    const { value, pending, error } = this.analytics;
    const span = m.dayCount(this.from, this.to);
    const tenantName = this.tenant
      ? (this.tenants.value?.tenants.find((t) => t.id === this.tenant)?.name ?? this.tenant)
      : 'All tenants';
    return html`
      <h2>Analytics</h2>
      <form class="filters" aria-label="What to show" novalidate @submit=${this.apply}>
        ${tenantSelect({
          id: 'an-tenant',
          value: this.tenant,
          tenants: this.tenants.value?.tenants,
          error: this.problems.tenant ?? (this.tenants.error ? 'The list of tenants could not be loaded.' : ''),
          onChange: (t) => this.pickTenant(t),
        })}
        ${this.dateField('from', 'From')} ${this.dateField('to', 'To')}
        <div class="filter-actions">
          <button type="submit" class="primary">Show</button>
          <button type="button" ?disabled=${pending} @click=${() => this.load()}>Refresh</button>
        </div>
        <div class="presets" role="group" aria-labelledby="an-presets">
          <span id="an-presets">Last</span>
          ${PRESETS.map((days) => {
            const r = m.lastDays(days, this.today);
            const on = r.from === this.from && r.to === this.to;
            return html`<button type="button" aria-pressed=${on ? 'true' : 'false'} @click=${() => this.preset(days)}>
              ${days} days</button>`;
          })}
        </div>
      </form>
      <p class="hint" data-range>
        ${tenantName}, ${m.formatDay(this.from, 'long')} to ${m.formatDay(this.to, 'long')}
        (${span} ${span === 1 ? 'day' : 'days'}, UTC)
      </p>
      ${error ? html`<div class="banner" role="alert">${error}</div>` : nothing}
      <div class="results ${pending && value ? 'stale' : ''}" aria-busy=${pending ? 'true' : 'false'}>
        ${value ? this.renderResults(value) : pending ? this.renderLoading() : nothing}
      </div>
    `;
  }

  private dateField(field: 'from' | 'to', label: string) {
    const id = `an-${field}`;
    const problem = this.problems[field];
    return html`
      <div class="field">
        <label for=${id}>${label} <span class="hint">(UTC)</span></label>
        <input type="date" id=${id} .value=${this.draft[field]} max=${this.today} required
          aria-invalid=${problem ? 'true' : 'false'} aria-describedby=${problem ? `${id}-error` : nothing}
          @input=${(e: Event) => this.edit(field, e)} />
        ${problem ? html`<span class="error" id="${id}-error">${label} ${problem}</span>` : nothing}
      </div>
    `;
  }

  private renderLoading() {
    return html`
      <p class="visually-hidden">Loading analytics…</p>
      <div class="kpis" aria-hidden="true">
        ${m
          .kpis(m.zeroMetrics())
          .map((k) => html`<div class="kpi skeleton"><span>${k.label}</span><span>&nbsp;</span></div>`)}
      </div>
      <div class="charts" aria-hidden="true">
        ${[0, 1].map(() => html`<div class="card skeleton chart-skeleton">Loading analytics…</div>`)}
      </div>
    `;
  }

  private renderResults(r: AnalyticsResponse) {
    if (m.hasNoData(r)) {
      return html`
        <div class="card empty-state" data-empty>
          <h3>No data for this range yet</h3>
          <p>Nothing was recorded for ${r.tenant ?? 'any tenant'} from ${m.formatDay(r.from, 'long')} to
            ${m.formatDay(r.to, 'long')}. A conversation shows up here within seconds of its widget reporting
            (unless telemetry is off for the page or the tenant).</p>
        </div>
      `;
    }
    return html`
      <dl class="kpis">
        ${m
          .kpis(r.totals)
          .map((k) => html`<div class="kpi" data-kpi=${k.key}><dt>${k.label}</dt><dd>${k.value}</dd></div>`)}
      </dl>
      <p class="hint">Point at a day in a chart for its numbers; each chart's data table has them all.</p>
      <div class="charts">
        ${m.analyticsCharts(r).map((spec) => html`<vb-admin-chart .spec=${spec}></vb-admin-chart>`)}
      </div>
    `;
  }
}

/** The Worker's field problems for the range and tenant fields (its paths are the query's parameter names). */
function problemsOf(e: AdminApiError): m.RangeProblems & { tenant?: string } {
  const out: Record<string, string> = {};
  for (const p of e.problems) if (['from', 'to', 'tenant'].includes(p.path)) out[p.path] ??= p.message;
  return out;
}

defineOnce('vb-admin-analytics', AdminAnalyticsPanel);

declare global {
  interface HTMLElementTagNameMap {
    'vb-admin-analytics': AdminAnalyticsPanel;
  }
}
