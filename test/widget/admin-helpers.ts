// What the admin console's tests share: shadow-root queries, typing, keyboard walking, signing in, opening a tab.
import { fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../widget/admin/admin-app.ts';
import type { VoiceBuddyAdminApp } from '../../widget/admin/admin-app.ts';
import { ADMIN_TOKEN } from './fakes/admin-api.ts';

export type Tag =
  | 'vb-admin-flags'
  | 'vb-admin-history'
  | 'vb-admin-tenants'
  | 'vb-admin-usage'
  | 'vb-admin-health'
  | 'vb-admin-analytics'
  | 'vb-admin-report'
  | 'vb-admin-alerts';

export function q<T extends Element = HTMLElement>(host: Element, selector: string): T {
  const found = host.shadowRoot!.querySelector<T>(selector);
  if (!found) throw new Error(`nothing matches ${selector} in <${host.localName}>`);
  return found;
}
export const qa = (host: Element, selector: string) => [...host.shadowRoot!.querySelectorAll<HTMLElement>(selector)];
export const text = (el: Element | null | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
export const panel = (app: Element, tag: Tag) => app.shadowRoot!.querySelector(tag);
export const status = (app: Element) => text(app.shadowRoot!.querySelector('[role="status"]'));

export function type(input: HTMLInputElement | HTMLTextAreaElement, value: string, event = 'input'): void {
  input.value = value;
  input.dispatchEvent(new Event(event, { bubbles: true, composed: true }));
}

/** The focused element, through every shadow root. */
export function deepActive(): Element | null {
  let el = document.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  return el;
}

/** Presses Tab until the focus lands on what `match` accepts: the page is walked as a keyboard user walks it. */
export async function tabTo(match: (el: Element) => boolean, what: string, max = 150): Promise<Element> {
  for (let i = 0; i < max; i++) {
    const el = deepActive();
    if (el && match(el)) return el;
    await sendKeys({ press: 'Tab' });
  }
  throw new Error(`Tab never reached ${what}`);
}

export async function mount(): Promise<VoiceBuddyAdminApp> {
  return fixture<VoiceBuddyAdminApp>(html`<vb-admin-app></vb-admin-app>`);
}

export async function flagsLoaded(app: Element): Promise<HTMLElement> {
  const ready = () => panel(app, 'vb-admin-flags')?.shadowRoot?.querySelector('fieldset[data-flag]');
  await waitUntil(ready, 'the flags did not load');
  return panel(app, 'vb-admin-flags')!;
}

export async function signIn(app: VoiceBuddyAdminApp, token = ADMIN_TOKEN, actor = 'alice'): Promise<void> {
  type(q<HTMLInputElement>(app, '#token'), token);
  type(q<HTMLInputElement>(app, '#actor'), actor);
  q<HTMLButtonElement>(app, 'form button[type="submit"]').click();
}

export async function openTab(app: VoiceBuddyAdminApp, tab: string, tag: Tag, ready: string): Promise<HTMLElement> {
  q<HTMLButtonElement>(app, `#tab-${tab}`).click();
  await waitUntil(() => panel(app, tag)?.shadowRoot?.querySelector(ready), `${tag} did not show ${ready}`);
  return panel(app, tag)!;
}
