import { html, nothing, type ReactiveControllerHost } from 'lit';
import type { AdminClient, AdminTenant } from './api.ts';
import { PanelLoad } from './load.ts';

/** The tenants for a picker, loaded with the panel (and again on its Refresh). */
export function tenantsLoad(host: ReactiveControllerHost & { client: AdminClient | null }) {
  return new PanelLoad(host, {
    args: () => [host.client] as const,
    load: ([client], signal) => client.listTenants({ signal }),
    failure: 'Could not load the tenants: ',
  });
}

/**
 * A tenant picker whose first choice is all tenants (''). A tenant that is picked stays listed while the list is
 * loading or failed, so the choice never silently jumps back to all.
 */
export function tenantSelect(opts: {
  id: string;
  value: string;
  tenants: AdminTenant[] | undefined;
  error: string;
  onChange: (tenant: string) => void;
}) {
  const { id, value, tenants, error, onChange } = opts;
  const listed = tenants ?? [];
  const ids = listed.some((t) => t.id === value) || !value ? listed : [...listed, { id: value, name: value }];
  return html`
    <div class="field">
      <label for=${id}>Tenant</label>
      <select id=${id} aria-describedby=${error ? `${id}-error` : nothing}
        @change=${(e: Event) => onChange((e.target as HTMLSelectElement).value)}>
        <option value="" ?selected=${value === ''}>All tenants</option>
        ${ids.map((t) => html`<option value=${t.id} ?selected=${t.id === value}>${t.name} (${t.id})</option>`)}
      </select>
      ${error ? html`<span class="error" id="${id}-error">${error}</span>` : nothing}
    </div>
  `;
}
