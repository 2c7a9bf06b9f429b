import { html, LitElement, nothing, css, type TemplateResult } from 'lit';
import { defineOnce } from '../define.ts';
import { AdminApiError, AdminClient, ANNOUNCE_EVENT, describeError } from './api.ts';
import './alerts-panel.ts';
import './analytics-panel.ts';
import './flags-panel.ts';
import './health-panel.ts';
import './history-panel.ts';
import './report-panel.ts';
import './tenants-panel.ts';
import './usage-panel.ts';
import { adminStyles } from './styles.ts';

const TABS = [
  ['flags', 'Flags'],
  ['history', 'History'],
  ['tenants', 'Tenants'],
  ['usage', 'Usage'],
  ['health', 'Provider health'],
  ['analytics', 'Analytics'],
  ['report', 'Daily report'],
  ['alerts', 'Alerts'],
] as const;
type Tab = (typeof TABS)[number][0];

const TOKEN_KEY = 'vb-admin-token';
const ACTOR_KEY = 'vb-admin-actor';

/** Storage can be switched off by the browser; the console still works, it just forgets on reload. */
function stored(storage: () => Storage, key: string, value?: string | null): string {
  try {
    if (value === null) storage().removeItem(key);
    else if (value !== undefined) storage().setItem(key, value);
    return storage().getItem(key) ?? '';
  } catch {
    return value ?? '';
  }
}

/**
 * The admin console: a sign-in form, then one tab a section. The token lives in sessionStorage only (gone with
 * the tab); any 401 signs out with a message. Save results are spoken through one polite live region.
 */
export class VoiceBuddyAdminApp extends LitElement {
  static override styles = [
    adminStyles,
    css`
      :host {
        max-width: 72rem;
        margin: 0 auto;
        padding: 1rem;
      }
      header {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: space-between;
        gap: 0.75rem;
        margin: 0 0 1rem;
      }
      h1 {
        font-size: 1.5rem;
        margin: 0;
      }
      [role='tablist'] {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem;
        border-bottom: 2px solid var(--vb-admin-border);
        margin: 0 0 1rem;
      }
      [role='tab'] {
        border: none;
        border-bottom: 3px solid transparent;
        border-radius: 0;
        color: var(--vb-admin-fg);
      }
      /* A phone: one row that scrolls sideways (the cut-off tab at the edge says there is more), not three rows. */
      @media (max-width: 40rem) {
        [role='tablist'] {
          flex-wrap: nowrap;
          overflow-x: auto;
          scrollbar-width: thin;
        }
        [role='tab'] {
          flex: none;
          white-space: nowrap;
          padding: 0.35rem 0.6rem;
        }
      }
      [role='tab'][aria-selected='true'] {
        border-bottom-color: var(--vb-admin-accent);
        color: var(--vb-admin-accent);
        font-weight: 700;
      }
      .status {
        min-height: 1.5rem;
        margin: 0 0 0.75rem;
        font-weight: 600;
      }
      .signin {
        max-width: 26rem;
      }
    `,
  ];

  static override properties = {
    client: { state: true },
    actor: { state: true },
    tab: { state: true },
    visited: { state: true },
    signInError: { state: true },
    status: { state: true },
    checking: { state: true },
  };

  declare client: AdminClient | null;
  declare actor: string;
  declare tab: Tab;
  declare visited: ReadonlySet<Tab>;
  declare signInError: string;
  declare status: string;
  declare checking: boolean;

  constructor() {
    super();
    const token = stored(() => sessionStorage, TOKEN_KEY);
    this.actor = stored(() => localStorage, ACTOR_KEY);
    this.client = token ? this.makeClient(token, this.actor) : null;
    this.tab = 'flags';
    this.visited = new Set<Tab>(['flags']);
    this.signInError = '';
    this.status = '';
    this.checking = false;
    this.addEventListener(ANNOUNCE_EVENT, (e) => void this.announce(e.detail));
  }

  private makeClient(token: string, actor: string): AdminClient {
    return new AdminClient({
      token,
      actor,
      onUnauthorized: () => this.signOut('The admin token was refused (it may have been changed). Sign in again.'),
    });
  }

  /** Clears first so the same message twice is spoken twice. */
  private async announce(message: string): Promise<void> {
    this.status = '';
    await this.updateComplete;
    this.status = message;
  }

  private async signIn(e: Event): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const token = (form.elements.namedItem('token') as HTMLInputElement).value.trim();
    const actor = (form.elements.namedItem('actor') as HTMLInputElement).value.trim();
    if (!token) {
      this.signInError = 'Enter the admin token.';
      return;
    }
    this.checking = true;
    this.signInError = '';
    // The token is checked before it is kept: a wrong one never reaches storage.
    const client = new AdminClient({ token, actor });
    try {
      await client.listFlags();
    } catch (err) {
      this.checking = false;
      this.signInError =
        err instanceof AdminApiError && err.status === 401
          ? 'That token was refused. Check it and try again.'
          : `Could not sign in: ${describeError(err)}`;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLInputElement>('#token')?.focus();
      return;
    }
    stored(() => sessionStorage, TOKEN_KEY, token);
    this.actor = stored(() => localStorage, ACTOR_KEY, actor || null);
    this.checking = false;
    this.tab = 'flags';
    this.visited = new Set<Tab>(['flags']);
    this.client = this.makeClient(token, actor);
    void this.announce(`Signed in${actor ? ` as ${actor}` : ''}`);
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[role="tab"][aria-selected="true"]')?.focus();
  }

  signOut(message = ''): void {
    if (!this.client && !message) return;
    stored(() => sessionStorage, TOKEN_KEY, null);
    this.client = null;
    this.signInError = message;
    this.status = message ? '' : 'Signed out';
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('#token')?.focus());
  }

  private select(tab: Tab, focus = false): void {
    const again = this.visited.has(tab) && tab !== this.tab;
    this.tab = tab;
    this.visited = new Set([...this.visited, tab]);
    void this.updateComplete.then(() => {
      // Another section may have changed what this one shows (a rollback changes the flags); health costs a provider
      // call.
      const panel = this.renderRoot.querySelector<HTMLElement & { load?: () => Promise<void> }>(`#panel-${tab} > *`);
      if (again) void panel?.load?.();
      const button = this.renderRoot.querySelector<HTMLElement>(`#tab-${tab}`);
      if (focus) button?.focus();
      button?.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
    });
  }

  private onTabKey(e: KeyboardEvent): void {
    const i = TABS.findIndex(([t]) => t === this.tab);
    const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: TABS.length - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    this.select(TABS[(next + TABS.length) % TABS.length]![0], true);
  }

  protected override render() {
    return this.client ? this.renderConsole(this.client) : this.renderSignIn();
  }

  private renderSignIn() {
    return html`
      <header><h1>voice-buddy admin</h1></header>
      <main>
        <form class="card signin" aria-labelledby="signin-heading" novalidate @submit=${this.signIn}>
          <h2 id="signin-heading">Sign in</h2>
          ${this.signInError ? html`<div class="banner" role="alert" id="signin-error">${this.signInError}</div>` : nothing}
          <div class="field">
            <label for="token">Admin token</label>
            <input id="token" name="token" type="password" autocomplete="off" spellcheck="false" aria-required="true"
              aria-invalid=${this.signInError ? 'true' : 'false'} />
            <span class="hint">Kept in this tab only (sessionStorage) until you sign out or close it.</span>
          </div>
          <div class="field">
            <label for="actor">Your name</label>
            <input id="actor" name="actor" autocomplete="name" .value=${this.actor} aria-describedby="actor-hint" maxlength="80" />
            <span class="hint" id="actor-hint">Recorded with every change you make (X-Admin-Actor).</span>
          </div>
          <button class="primary" type="submit" ?disabled=${this.checking}>${this.checking ? 'Checking…' : 'Sign in'}</button>
        </form>
      </main>
      <p class="visually-hidden" role="status">${this.status}</p>
    `;
  }

  private renderConsole(client: AdminClient) {
    const panels: Record<Tab, () => TemplateResult> = {
      flags: () => html`<vb-admin-flags .client=${client}></vb-admin-flags>`,
      history: () => html`<vb-admin-history .client=${client}></vb-admin-history>`,
      tenants: () => html`<vb-admin-tenants .client=${client}></vb-admin-tenants>`,
      usage: () => html`<vb-admin-usage .client=${client}></vb-admin-usage>`,
      health: () => html`<vb-admin-health .client=${client}></vb-admin-health>`,
      analytics: () => html`<vb-admin-analytics .client=${client}></vb-admin-analytics>`,
      report: () => html`<vb-admin-report .client=${client}></vb-admin-report>`,
      alerts: () => html`<vb-admin-alerts .client=${client}></vb-admin-alerts>`,
    };
    return html`
      <header>
        <h1>voice-buddy admin</h1>
        <div class="inline">
          <span>Signed in${this.actor ? html` as <strong>${this.actor}</strong>` : nothing}</span>
          <button type="button" @click=${() => this.signOut()}>Sign out</button>
        </div>
      </header>
      <div role="tablist" aria-label="Console sections" @keydown=${this.onTabKey}>
        ${TABS.map(
          ([tab, label]) => html`
          <button type="button" role="tab" id="tab-${tab}" aria-controls="panel-${tab}" aria-selected=${tab === this.tab ? 'true' : 'false'}
            tabindex=${tab === this.tab ? '0' : '-1'} @click=${() => this.select(tab)}>${label}</button>`,
        )}
      </div>
      <p class="status" role="status" aria-live="polite">${this.status}</p>
      <main>
        ${TABS.map(
          ([tab]) => html`
          <section role="tabpanel" id="panel-${tab}" aria-labelledby="tab-${tab}" ?hidden=${tab !== this.tab}>
            ${this.visited.has(tab) ? panels[tab]() : nothing}
          </section>`,
        )}
      </main>
    `;
  }
}

defineOnce('vb-admin-app', VoiceBuddyAdminApp);

declare global {
  interface HTMLElementTagNameMap {
    'vb-admin-app': VoiceBuddyAdminApp;
  }
}
