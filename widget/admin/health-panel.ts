import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { defineOnce } from '../define.ts';
import { announce, describeError, type AdminClient, type PingReport, type ProviderHealth } from './api.ts';
import { adminStyles } from './styles.ts';

const LABELS: Record<string, string> = { tts: 'Text-to-speech', openai: 'OpenAI Realtime', avatar: 'Avatar' };

/** Every provider in the report, the known ones first: a provider added to the ping shows up without a console change. */
function providers(r: PingReport): Array<[string, ProviderHealth]> {
  const all = Object.entries(r).filter((e): e is [string, ProviderHealth] => {
    const v = e[1] as Partial<ProviderHealth> | null;
    return typeof v === 'object' && v !== null && typeof v.status === 'string' && typeof v.provider === 'string';
  });
  const rank = (k: string) => (k in LABELS ? Object.keys(LABELS).indexOf(k) : 99);
  return all.sort(([a], [b]) => rank(a) - rank(b));
}

const STATUS_TEXT: Record<string, string> = { ok: 'OK', sandbox: 'Sandbox', error: 'Error', degraded: 'Degraded' };

function bytes(n: number): string {
  return n < 1024 ? `${n} B` : `${(n / 1024).toFixed(1)} KB`;
}

/** Provider health from `GET /v1/voice/ping`: each provider's status, timings and sandbox state. */
export class AdminHealthPanel extends LitElement {
  static override styles = adminStyles;
  static override properties = {
    client: { attribute: false },
    report: { state: true },
    loading: { state: true },
    error: { state: true },
  };

  declare client: AdminClient | null;
  declare report: PingReport | null;
  declare loading: boolean;
  declare error: string;

  constructor() {
    super();
    this.client = null;
    this.report = null;
    this.loading = false;
    this.error = '';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('client') && this.client) void this.check();
  }

  async check(manual = false): Promise<void> {
    if (!this.client || this.loading) return;
    this.loading = true;
    this.error = '';
    try {
      this.report = await this.client.ping();
      if (manual) announce(this, `Provider health checked: ${STATUS_TEXT[this.report.status] ?? this.report.status}`);
    } catch (e) {
      this.error = `The health check failed: ${describeError(e)}`;
      if (manual) announce(this, this.error);
    } finally {
      this.loading = false;
    }
  }

  protected override render() {
    const r = this.report;
    return html`
      <h2>Provider health</h2>
      <div class="inline">
        <button type="button" ?disabled=${this.loading} @click=${() => this.check(true)}>
          ${this.loading ? 'Checking…' : 'Refresh'}
        </button>
        ${r
          ? html`<span>Overall: <span class="badge status-${r.status}" data-overall>${STATUS_TEXT[r.status] ?? r.status}</span>
              checked at <time datetime=${r.checkedAt}>${new Date(r.checkedAt).toLocaleString()}</time></span>`
          : nothing}
      </div>
      ${this.error ? html`<div class="banner" role="alert">${this.error}</div>` : nothing}
      <div class="grid" aria-busy=${this.loading ? 'true' : 'false'}>
        ${r ? providers(r).map(([key, h]) => this.renderProvider(key, LABELS[key] ?? key, h)) : this.loading ? html`<p>Checking…</p>` : nothing}
      </div>
    `;
  }

  private renderProvider(key: string, label: string, h: ProviderHealth) {
    const headingId = `health-${key}`;
    return html`
      <section class="card" aria-labelledby=${headingId} data-provider=${key}>
        <h3 id=${headingId}>${label} <span class="hint">(${h.provider})</span></h3>
        <p>Status: <span class="badge status-${h.status}" data-status>${STATUS_TEXT[h.status] ?? h.status}</span></p>
        ${h.status === 'ok'
          ? html`<dl>
              ${h.synthTime !== undefined ? html`<dt>Synth time</dt><dd>${h.synthTime} ms</dd>` : nothing}
              ${h.audioSize !== undefined ? html`<dt>Audio size</dt><dd>${bytes(h.audioSize)}</dd>` : nothing}
              ${h.contentType ? html`<dt>Content type</dt><dd>${h.contentType}</dd>` : nothing}
              ${h.mintTime !== undefined ? html`<dt>Key mint time</dt><dd>${h.mintTime} ms</dd>` : nothing}
            </dl>`
          : h.status === 'sandbox'
            ? html`<p>Sandbox: ${h.message}</p>`
            : html`<p class="error">${h.code}: ${h.message}</p>`}
      </section>
    `;
  }
}

defineOnce('vb-admin-health', AdminHealthPanel);

declare global {
  interface HTMLElementTagNameMap {
    'vb-admin-health': AdminHealthPanel;
  }
}
