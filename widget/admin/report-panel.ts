import { html, LitElement, nothing } from 'lit';
import { defineOnce } from '../define.ts';
import { addDays, formatDay, isDay, utcDay } from './analytics-model.ts';
import { announce, type AdminClient, type DailyReport, type ReportCheck, type ReportFeature } from './api.ts';
import { PanelLoad } from './load.ts';
import { CHECK_ICON, CHECK_STATUS, formatMetric, metricLabel, rolloutText } from './report-model.ts';
import { adminStyles, sectionStyles } from './styles.ts';

const STATUS_CLASS: Record<ReportCheck['status'], string> = { pass: 'ok', fail: 'error', no_data: 'muted' };

/**
 * The daily rollout report from `GET /admin/report?date=`: the health checks, then each feature's GO or NO-GO with
 * the checks that apply to it and the reasons that decided it. The same report in the rollout plan's markdown
 * (asked for with `Accept: text/markdown`) is fetched when asked for, to copy into the rollout log.
 */
export class AdminReportPanel extends LitElement {
  static override styles = [adminStyles, sectionStyles];
  static override properties = {
    client: { attribute: false },
    date: { state: true },
    showMarkdown: { state: true },
  };

  declare client: AdminClient | null;
  declare date: string;
  declare showMarkdown: boolean;

  private readonly today = utcDay();

  private readonly report = new PanelLoad(this, {
    args: () => [this.client, this.date] as const,
    load: ([client, date], signal) => client.report(date, { signal }),
    failure: 'Could not load the report: ',
  });

  /** Only while shown: no client, no load. */
  private readonly markdown = new PanelLoad(this, {
    args: () => [this.showMarkdown ? this.client : null, this.date] as const,
    load: ([client, date], signal) => client.reportMarkdown(date, { signal }),
    failure: 'Could not load the markdown: ',
  });

  constructor() {
    super();
    this.client = null;
    // Yesterday: the last whole day, the one a rollout decision reads.
    this.date = addDays(this.today, -1);
    this.showMarkdown = false;
  }

  load(): Promise<boolean> {
    if (this.showMarkdown) void this.markdown.run();
    return this.report.run();
  }

  private pick(e: Event): void {
    const value = (e.target as HTMLInputElement).value;
    if (isDay(value)) this.date = value;
  }

  private async copy(): Promise<void> {
    const text = this.markdown.value ?? '';
    try {
      await navigator.clipboard.writeText(text);
      announce(this, `Copied the report of ${formatDay(this.date, 'long')} as markdown`);
    } catch {
      // No clipboard access (permissions, an insecure origin): the text is selected for the keyboard's copy.
      const area = this.renderRoot.querySelector<HTMLTextAreaElement>('#report-md');
      area?.focus();
      area?.select();
      announce(this, 'Could not copy by itself: the markdown is selected, press Ctrl+C (or ⌘C) to copy it');
    }
  }

  protected override render() {
    const { value: r, pending, error } = this.report;
    return html`
      <h2>Daily report</h2>
      <div class="inline">
        <label for="report-date">Day (UTC)</label>
        <input type="date" id="report-date" .value=${this.date} max=${this.today} required @change=${this.pick} />
        <button type="button" ?disabled=${pending} @click=${() => this.load()}>Refresh</button>
      </div>
      ${error ? html`<div class="banner" role="alert">${error}</div>` : nothing}
      <div class="results ${pending && r ? 'stale' : ''}" aria-busy=${pending ? 'true' : 'false'}>
        ${
          r
            ? this.renderReport(r)
            : pending
              ? html`<div class="card skeleton chart-skeleton">Loading the report…</div>`
              : nothing
        }
      </div>
    `;
  }

  private renderReport(r: DailyReport) {
    const go = r.features.filter((f) => f.verdict === 'GO').length;
    return html`
      <p class="hint">
        ${formatDay(r.date, 'long')} · generated
        <time datetime=${r.generatedAt}>${new Date(r.generatedAt).toLocaleString()}</time>
      </p>
      ${
        r.features.length
          ? html`<p class="verdicts" data-verdicts>
            <strong>${go} GO</strong>, <strong>${r.features.length - go} NO-GO</strong>
            of ${r.features.length} ${r.features.length === 1 ? 'feature' : 'features'}</p>`
          : nothing
      }
      <section class="card" aria-labelledby="report-health" data-health>
        <h3 id="report-health">Health</h3>
        ${r.health.length ? this.renderChecks(r.health, 'Health checks') : html`<p class="hint">No health checks.</p>`}
      </section>
      ${
        r.features.length
          ? html`<div class="features">${r.features.map((f) => this.renderFeature(f))}</div>`
          : html`<div class="card empty-state"><p>No feature flags to report on.</p></div>`
      }
      ${this.renderMarkdown()}
    `;
  }

  private renderFeature(f: ReportFeature) {
    const id = `feature-${f.flag.replace(/[^a-z0-9-]/gi, '-')}`;
    const go = f.verdict === 'GO';
    return html`
      <section class="card feature ${go ? 'go' : 'no-go'}" aria-labelledby=${id} data-feature=${f.flag}>
        <h3 id=${id}>
          <span class="flag-key">${f.flag}</span>
          <span class="badge verdict status-${go ? 'ok' : 'error'}" data-verdict>
            <span aria-hidden="true">${go ? '✓' : '✕'}</span> ${f.verdict}</span>
        </h3>
        <p>${f.enabled ? 'Enabled' : 'Disabled'} · rollout ${rolloutText(f.rollout, f.target)}</p>
        ${f.checks.length ? this.renderChecks(f.checks, `Checks of ${f.flag}`) : nothing}
        ${
          f.reasons.length
            ? html`<h4>Why</h4><ul class="reasons">${f.reasons.map((reason) => html`<li>${reason}</li>`)}</ul>`
            : nothing
        }
      </section>
    `;
  }

  private renderChecks(checks: ReportCheck[], caption: string) {
    return html`
      <!-- The roles are spelled out: on a narrow card the rows are laid out as grids, which would drop the implicit
        table semantics in some browsers. -->
      <table class="checks" role="table">
        <caption class="visually-hidden">${caption}</caption>
        <thead role="rowgroup"><tr role="row"><th scope="col" role="columnheader">Metric</th>
          <th scope="col" role="columnheader">Value</th><th scope="col" role="columnheader">Threshold</th>
          <th scope="col" role="columnheader">Result</th></tr></thead>
        <tbody role="rowgroup">
          ${checks.map(
            (c) => html`<tr role="row" data-metric=${c.metric}>
            <th scope="row" role="rowheader" class="metric">${metricLabel(c.metric)}</th>
            <td role="cell" class="value">${formatMetric(c.metric, c.value)}</td>
            <td role="cell" class="threshold">${c.threshold}</td>
            <td role="cell" class="result"><span class="status-${STATUS_CLASS[c.status]}" data-status=${c.status}>
              <span aria-hidden="true">${CHECK_ICON[c.status]}</span> ${CHECK_STATUS[c.status]}</span></td>
          </tr>`,
          )}
        </tbody>
      </table>
    `;
  }

  private renderMarkdown() {
    const { value, pending, error } = this.markdown;
    return html`
      <section class="card" aria-labelledby="report-md-heading">
        <h3 id="report-md-heading">Markdown for the rollout log</h3>
        <div class="actions">
          <button type="button" aria-expanded=${this.showMarkdown ? 'true' : 'false'} aria-controls="report-md-body"
            @click=${() => (this.showMarkdown = !this.showMarkdown)}>
            ${this.showMarkdown ? 'Hide markdown' : 'Show markdown'}
          </button>
          ${
            this.showMarkdown && value !== undefined
              ? html`<button type="button" class="primary" ?disabled=${pending} @click=${() => this.copy()}>
                Copy markdown</button>`
              : nothing
          }
        </div>
        <div id="report-md-body" ?hidden=${!this.showMarkdown}>
          ${error ? html`<div class="banner" role="alert">${error}</div>` : nothing}
          ${
            this.showMarkdown && value !== undefined
              ? html`<label for="report-md" class="visually-hidden">The report as markdown</label>
                <textarea id="report-md" class="markdown" readonly rows="14" spellcheck="false"
                  aria-busy=${pending ? 'true' : 'false'} .value=${value}></textarea>`
              : this.showMarkdown && pending
                ? html`<p class="hint">Loading the markdown…</p>`
                : nothing
          }
        </div>
      </section>
    `;
  }
}

defineOnce('vb-admin-report', AdminReportPanel);

declare global {
  interface HTMLElementTagNameMap {
    'vb-admin-report': AdminReportPanel;
  }
}
