import { html, LitElement, nothing } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { defineOnce } from '../define.ts';
import { AdminApiError, announce, describeError, type AdminClient, type AdminTenant, type TenantPatch } from './api.ts';
import { PanelLoad } from './load.ts';
import { adminStyles } from './styles.ts';

const LIMITS = [
  ['voiceSessionsPerMonth', 'Voice sessions a month'],
  ['avatarSessionsPerMonth', 'Avatar sessions a month'],
  ['generationsPerMonth', 'Generations a month'],
  ['ttsCharactersPerMonth', 'Spoken characters a month'],
  ['requestsPerMinute', 'Requests a minute (per visitor IP)'],
  ['sessionMaxSeconds', 'Longest voice session (seconds)'],
  ['sessionMaxBytes', 'Most bytes a voice session'],
  ['eventsPerSecond', 'Client events a second'],
] as const;
type LimitKey = (typeof LIMITS)[number][0];

const BRANDING = ['name', 'primaryColor', 'accentColor', 'logoUrl', 'greeting'] as const;
type BrandingKey = (typeof BRANDING)[number];

/** The form as typed: strings throughout, turned into a patch of the changed fields only on save. */
interface TenantForm {
  origins: string;
  limits: Record<LimitKey, string>;
  branding: Record<BrandingKey, string>;
  persona: string;
}

function formOf(t: AdminTenant): TenantForm {
  return {
    origins: t.allowedOrigins.join('\n'),
    limits: Object.fromEntries(LIMITS.map(([k]) => [k, String(t.limits[k])])) as Record<LimitKey, string>,
    branding: Object.fromEntries(BRANDING.map((k) => [k, t.branding[k] ?? ''])) as Record<BrandingKey, string>,
    persona: t.persona,
  };
}

const ORIGINS_HINT = 'One a line: scheme://host[:port], or https://*.example.com for subdomains.';
/** The value of the input or textarea an event came from. */
const valueOf = (e: Event) => (e.target as HTMLInputElement | HTMLTextAreaElement).value;

/** `<input type=color>` takes #rrggbb only. */
function colorInputValue(hex: string): string {
  if (/^#[0-9a-f]{6}([0-9a-f]{2})?$/i.test(hex)) return hex.slice(0, 7).toLowerCase();
  if (/^#[0-9a-f]{3}$/i.test(hex)) return `#${[...hex.slice(1)].map((c) => c + c).join('')}`.toLowerCase();
  return '#000000';
}

/** The patch of what differs from the tenant as loaded, and the fields that cannot be read as typed. */
export function tenantPatch(
  t: AdminTenant,
  form: TenantForm,
): { patch: TenantPatch; problems: Record<string, string> } {
  const patch: TenantPatch = {};
  const problems: Record<string, string> = {};
  const origins = form.origins
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);
  if (JSON.stringify(origins) !== JSON.stringify(t.allowedOrigins)) patch.allowedOrigins = origins;
  const limits: NonNullable<TenantPatch['limits']> = {};
  for (const [k] of LIMITS) {
    const text = form.limits[k].trim();
    const n = Number(text);
    if (text === '' || Number.isNaN(n)) problems[`limits.${k}`] = 'Enter a whole number';
    else if (n !== t.limits[k]) limits[k] = n;
  }
  if (Object.keys(limits).length) patch.limits = limits;
  const branding: NonNullable<TenantPatch['branding']> = {};
  for (const k of BRANDING) {
    const value = form.branding[k];
    if (value === (t.branding[k] ?? '')) continue;
    if (k === 'logoUrl') branding.logoUrl = value.trim() || null;
    else branding[k] = value;
  }
  if (Object.keys(branding).length) patch.branding = branding;
  if (form.persona !== t.persona) patch.persona = form.persona;
  return { patch, problems };
}

/** Tenants: pick one and edit its origins, limits, branding and persona; saving sends only what changed. */
export class AdminTenantsPanel extends LitElement {
  static override styles = adminStyles;
  static override properties = {
    client: { attribute: false },
    tenants: { state: true },
    selected: { state: true },
    form: { state: true },
    errors: { state: true },
    formError: { state: true },
    busy: { state: true },
  };

  declare client: AdminClient | null;
  declare tenants: AdminTenant[];
  declare selected: string | null;
  declare form: TenantForm | null;
  declare errors: Record<string, string>;
  declare formError: string;
  declare busy: boolean;

  // A save replaces a tenant in the list and a failed save shares the banner: the load lands in the same state.
  private readonly loader = new PanelLoad(this, {
    args: () => [this.client] as const,
    load: ([client], signal) => client.listTenants({ signal }),
    failure: 'Could not load the tenants: ',
    onComplete: ({ tenants }) => {
      this.tenants = tenants;
      if (this.selected && !tenants.some((t) => t.id === this.selected)) this.select(null);
    },
    onError: (message) => (this.formError = message),
  });

  constructor() {
    super();
    this.client = null;
    this.tenants = [];
    this.selected = null;
    this.form = null;
    this.errors = {};
    this.formError = '';
    this.busy = false;
  }

  /** The console calls it when the tab is visited again. */
  load(): Promise<boolean> {
    return this.loader.run();
  }

  private get tenant(): AdminTenant | undefined {
    return this.tenants.find((t) => t.id === this.selected);
  }

  private select(id: string | null): void {
    this.selected = id;
    const t = this.tenant;
    this.form = t ? formOf(t) : null;
    this.errors = {};
    this.formError = '';
  }

  private set(update: (f: TenantForm) => TenantForm, field: string): void {
    if (!this.form) return;
    this.form = update(this.form);
    if (!(field in this.errors)) return;
    const { [field]: _fixed, ...rest } = this.errors;
    this.errors = rest;
  }

  private async save(e: Event): Promise<void> {
    e.preventDefault();
    const t = this.tenant;
    if (!this.client || !t || !this.form) return;
    const { patch, problems } = tenantPatch(t, this.form);
    if (Object.keys(problems).length) {
      this.errors = problems;
      this.focusInvalid();
      return;
    }
    const fields = Object.keys(patch);
    if (fields.length === 0) {
      announce(this, 'Nothing to save: no field has changed');
      return;
    }
    this.busy = true;
    this.formError = '';
    try {
      const { tenant } = await this.client.updateTenant(t.id, patch);
      this.tenants = this.tenants.map((x) => (x.id === tenant.id ? tenant : x));
      this.form = formOf(tenant);
      this.errors = {};
      announce(this, `Saved ${tenant.id}: ${fields.join(', ')}`);
    } catch (err) {
      this.showProblems(err);
      announce(this, `Not saved: ${this.formError || 'see the problems beside the fields'}`);
      this.focusInvalid();
    } finally {
      this.busy = false;
    }
  }

  private showProblems(err: unknown): void {
    const errors: Record<string, string> = {};
    const general: string[] = [];
    for (const p of err instanceof AdminApiError ? err.problems : []) {
      const [head, sub] = p.path.split('.');
      const line = sub === undefined ? p.message : `Line ${Number(sub) + 1}: ${p.message}`;
      if (head === 'allowedOrigins') errors.allowedOrigins ??= line;
      else if ((head === 'limits' || head === 'branding') && sub) errors[`${head}.${sub}`] ??= p.message;
      else if (head === 'persona') errors.persona ??= p.message;
      else general.push(`${p.path}: ${p.message}`);
    }
    this.errors = errors;
    this.formError = general.length ? general.join('; ') : Object.keys(errors).length ? '' : describeError(err);
  }

  private focusInvalid(): void {
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
  }

  private error(key: string) {
    const message = this.errors[key];
    return message ? html`<p class="error" id="err-${key.replace('.', '-')}">${message}</p>` : nothing;
  }

  /** aria-invalid, and aria-describedby naming only elements that are there (the hint; the error while shown). */
  private a11y(key: string, hintId?: string) {
    const ids = [hintId, this.errors[key] ? `err-${key.replace('.', '-')}` : undefined].filter(Boolean);
    const describedby = ifDefined(ids.length ? ids.join(' ') : undefined);
    return { invalid: this.errors[key] ? 'true' : 'false', describedby };
  }

  protected override render() {
    return html`
      <h2>Tenants</h2>
      <nav aria-label="Tenants">
        <ul class="plain inline">
          ${this.tenants.map((t) => html`<li>${this.renderPick(t)}</li>`)}
        </ul>
      </nav>
      ${this.tenants.length === 0 ? html`<p>No tenants yet.</p>` : nothing}
      ${this.formError ? html`<div class="banner" role="alert">${this.formError}</div>` : nothing}
      ${
        this.form && this.tenant
          ? this.renderForm(this.tenant, this.form)
          : html`<p class="hint">Select a tenant to edit it.</p>`
      }
    `;
  }

  private renderPick(t: AdminTenant) {
    const current = this.selected === t.id;
    const name = t.branding.name || t.name;
    // The parentheses are for screen readers only: "Acme Studio (acme)" rather than "Acme Studio acme".
    const hidden = (text: string) => html`<span class="visually-hidden">${text}</span>`;
    return html`<button type="button" aria-current=${current ? 'true' : 'false'} class=${current ? 'primary' : ''}
      @click=${() => this.select(t.id)}>${name} ${hidden('(')}<code>${t.id}</code>${hidden(')')}</button>`;
  }

  private renderForm(t: AdminTenant, f: TenantForm) {
    const origins = this.a11y('allowedOrigins', 't-origins-hint');
    const persona = this.a11y('persona', 't-persona-hint');
    return html`
      <form aria-label="Edit ${t.id}" novalidate @submit=${this.save}>
        <h3>${t.name} <code>${t.id}</code> <span class="badge">${t.status}</span></h3>
        <div class="field">
          <label for="t-origins">Allowed origins</label>
          <span class="hint" id="t-origins-hint">${ORIGINS_HINT}</span>
          <textarea id="t-origins" .value=${f.origins} aria-invalid=${origins.invalid}
            aria-describedby=${origins.describedby}
            @input=${(e: Event) => this.set((x) => ({ ...x, origins: valueOf(e) }), 'allowedOrigins')}></textarea>
          ${this.error('allowedOrigins')}
        </div>
        <fieldset>
          <legend>Limits</legend>
          <div class="grid">
            ${LIMITS.map(([k, label]) => {
              const a = this.a11y(`limits.${k}`);
              return html`<div class="field">
                <label for="t-limit-${k}">${label}</label>
                <input type="number" min="0" step="1" id="t-limit-${k}" .value=${f.limits[k]}
                  aria-invalid=${a.invalid} aria-describedby=${a.describedby}
                  @input=${(e: Event) =>
                    this.set((x) => ({ ...x, limits: { ...x.limits, [k]: valueOf(e) } }), `limits.${k}`)} />
                ${this.error(`limits.${k}`)}
              </div>`;
            })}
          </div>
        </fieldset>
        <fieldset>
          <legend>Branding</legend>
          <div class="grid">
            ${this.textField('name', 'Name shown in the widget')} ${this.colorField('primaryColor', 'Primary colour')}
            ${this.colorField('accentColor', 'Accent colour')} ${this.textField('logoUrl', 'Logo URL', 'url')}
          </div>
          ${this.textField('greeting', 'Greeting')}
        </fieldset>
        <div class="field">
          <label for="t-persona">Persona</label>
          <span class="hint" id="t-persona-hint">The assistant's instructions for this tenant.</span>
          <textarea id="t-persona" rows="8" .value=${f.persona} aria-invalid=${persona.invalid}
            aria-describedby=${persona.describedby}
            @input=${(e: Event) => this.set((x) => ({ ...x, persona: valueOf(e) }), 'persona')}></textarea>
          ${this.error('persona')}
        </div>
        <div class="actions">
          <button type="submit" class="primary" ?disabled=${this.busy}>Save ${t.id}</button>
          <button type="button" ?disabled=${this.busy} @click=${() => this.select(t.id)}>Reset</button>
        </div>
      </form>
    `;
  }

  private setBranding(k: BrandingKey, value: string): void {
    this.set((x) => ({ ...x, branding: { ...x.branding, [k]: value } }), `branding.${k}`);
  }

  private textField(k: BrandingKey, label: string, type = 'text') {
    const a = this.a11y(`branding.${k}`);
    return html`<div class="field">
      <label for="t-branding-${k}">${label}</label>
      <input type=${type} id="t-branding-${k}" .value=${this.form!.branding[k]} aria-invalid=${a.invalid}
        aria-describedby=${a.describedby} @input=${(e: Event) => this.setBranding(k, valueOf(e))} />
      ${this.error(`branding.${k}`)}
    </div>`;
  }

  private colorField(k: BrandingKey, label: string) {
    const a = this.a11y(`branding.${k}`);
    const value = this.form!.branding[k];
    return html`<div class="field">
      <label for="t-branding-${k}">${label}</label>
      <span class="inline">
        <input type="color" id="t-branding-${k}" .value=${colorInputValue(value)} aria-describedby=${a.describedby}
          @input=${(e: Event) => this.setBranding(k, valueOf(e))} />
        <input id="t-branding-${k}-hex" aria-label="${label}, hex value" .value=${value} placeholder="#rrggbb" size="9"
          aria-invalid=${a.invalid} aria-describedby=${a.describedby}
          @input=${(e: Event) => this.setBranding(k, valueOf(e))} />
      </span>
      ${this.error(`branding.${k}`)}
    </div>`;
  }
}

defineOnce('vb-admin-tenants', AdminTenantsPanel);

declare global {
  interface HTMLElementTagNameMap {
    'vb-admin-tenants': AdminTenantsPanel;
  }
}
