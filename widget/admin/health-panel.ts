import { html, LitElement, nothing } from 'lit';
import { defineOnce } from '../define.ts';
import { announce, type AdminClient, type PingReport, type ProviderHealth } from './api.ts';
import { PanelLoad } from './load.ts';
import { adminStyles } from './styles.ts';

const LABELS: Record<string, string> = { tts: 'Text-to-speech', openai: 'OpenAI Realtime', avatar: 'Avatar' };

/** Every provider in the report, the known ones first: a provider added to the ping shows without a console change. */
function providers(r: PingReport): Array<[string, ProviderHealth]> {
  const all = Object.entries(r).filter((e): e is [string, ProviderHealth] => {
    const v = e[1] as Partial<ProviderHealth> | null;
    return typeof v === 'object' && v !== null && typeof v.status === 'string' && typeof v.provider === 'string';
  });
  const rank = (k: string) => (k in LABELS ? Object.keys(LABELS).indexOf(k) : 99);
  return all.sort(([a], [b]) => rank(a) - rank(b));
}

const STATUS_TEXT: Record<string, string> = { ok: 'OK', sandbox: 'Sandbox', error: 'Error', degraded: 'Degraded' };
const statusText = (status: string) => STATUS_TEXT[status] ?? status;

function bytes(n: number): string {
  return n < 1024 ? `${n} B` : `${(n / 1024).toFixed(1)} KB`;
}

/**
 * Provider health from `GET /v1/voice/ping`: each provider's status, timings and sandbox state. It has no `load()`
 * for the console to call on a revisited tab: a check costs a provider call, so only Refresh checks again.
 */
export class AdminHealthPanel extends LitElement {
  static override styles = adminStyles;
  static override properties = {
    client: { attribute: false },
  };

  declare client: AdminClient | null;

  private readonly ping = new PanelLoad(this, {
    args: () => [this.client] as const,
    load: ([client], signal) => client.ping({ signal }),
    failure: 'The health check failed: ',
  });

  constructor() {
    super();
    this.client = null;
  }

  /** Refresh: the outcome is spoken, as the automatic first check's is not. */
  private async refresh(): Promise<void> {
    if (!(await this.ping.run())) return;
    const r = this.ping.value;
    announce(this, this.ping.error || `Provider health checked: ${r ? statusText(r.status) : ''}`);
  }

  protected override render() {
    const { value: r, pending, error } = this.ping;
    return html`
      <h2>Provider health</h2>
      <div class="inline">
        <button type="button" ?disabled=${pending} @click=${() => this.refresh()}>
          ${pending ? 'Checking…' : 'Refresh'}
        </button>
        ${
          r
            ? html`<span>Overall: <span class="badge status-${r.status}" data-overall>${statusText(r.status)}</span>
              checked at <time datetime=${r.checkedAt}>${new Date(r.checkedAt).toLocaleString()}</time></span>`
            : nothing
        }
      </div>
      ${error ? html`<div class="banner" role="alert">${error}</div>` : nothing}
      <div class="grid" aria-busy=${pending ? 'true' : 'false'}>
        ${
          r
            ? providers(r).map(([key, h]) => this.renderProvider(key, LABELS[key] ?? key, h))
            : pending
              ? html`<p>Checking…</p>`
              : nothing
        }
      </div>
    `;
  }

  private renderProvider(key: string, label: string, h: ProviderHealth) {
    const headingId = `health-${key}`;
    return html`
      <section class="card" aria-labelledby=${headingId} data-provider=${key}>
        <h3 id=${headingId}>${label} <span class="hint">(${h.provider})</span></h3>
        <p>Status: <span class="badge status-${h.status}" data-status>${statusText(h.status)}</span></p>
        ${
          h.status === 'ok'
            ? html`<dl>
              ${h.synthTime !== undefined ? html`<dt>Synth time</dt><dd>${h.synthTime} ms</dd>` : nothing}
              ${h.audioSize !== undefined ? html`<dt>Audio size</dt><dd>${bytes(h.audioSize)}</dd>` : nothing}
              ${h.contentType ? html`<dt>Content type</dt><dd>${h.contentType}</dd>` : nothing}
              ${h.mintTime !== undefined ? html`<dt>Key mint time</dt><dd>${h.mintTime} ms</dd>` : nothing}
            </dl>`
            : h.status === 'sandbox'
              ? html`<p>Sandbox: ${h.message}</p>`
              : html`<p class="error">${h.code}: ${h.message}</p>`
        }
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
