import { css, html, LitElement, nothing } from 'lit';
import { LocaleConsumer } from '../../i18n/locale-controller.ts';
import { statusKey } from '../../i18n/locale.ts';
import { SessionConsumer } from '../../state/session-consumer.ts';

/**
 * Shows the conversation state of one <voice-buddy> in words; with `show-usage` (the owner view) also the tokens used
 * and the remaining rate limits.
 * @tag voice-buddy-status-pill
 * @csspart pill - the pill
 * @csspart usage - tokens used and rate limits
 */
export class VoiceBuddyStatusPill extends LitElement {
  static override styles = css`
    :host { display: inline-flex; min-width: 0; }
    .pill {
      display: inline-flex; flex-wrap: wrap; align-items: center; gap: 0 0.4em; padding: 0.2em 0.7em; border-radius: 0.9em;
      background: var(--_pill-bg); color: var(--_fg); font-size: 0.8em; max-width: 100%;
    }
    .label { white-space: nowrap; }
    .dot { inline-size: 0.55em; block-size: 0.55em; border-radius: 50%; background: var(--_muted); flex: none; }
    [data-status='listening'] .dot { background: #16a34a; }
    [data-status='speaking'] .dot { background: var(--_accent); }
    [data-status='thinking'] .dot, [data-status='connecting'] .dot, [data-status='reconnecting'] .dot, [data-status='fallback'] .dot { background: #d97706; }
    [data-status='error'] .dot { background: var(--_danger, #dc2626); }
    /* On a narrow panel the figures wrap under the state instead of being cut off. */
    .usage { color: var(--_muted); overflow-wrap: anywhere; }
  `;

  static override properties = { showUsage: { type: Boolean, attribute: 'show-usage' } };
  declare showUsage: boolean;

  constructor() {
    super();
    this.showUsage = false;
  }

  private readonly session = new SessionConsumer(this, (s) => [s.$status, s.$mode, s.$usage, s.$rateLimits]);
  private readonly i18n = new LocaleConsumer(this);

  override render() {
    const s = this.session.value;
    if (!s) return nothing;
    const status = s.$status.get();
    const { t } = this.i18n.locale;
    const parts: string[] = [];
    if (this.showUsage) {
      const usage = s.$usage.get();
      if (usage.totalTokens > 0) parts.push(t('usage.tokens', { n: usage.totalTokens }));
      for (const l of s.$rateLimits.get())
        parts.push(t('usage.left', { name: l.name, remaining: l.remaining, limit: l.limit }));
    }
    return html`<span class="pill" part="pill" data-status=${status}>
      <span class="dot" aria-hidden="true"></span><span class="label">${t(statusKey(status, s.$mode.get()))}</span>
      ${parts.length ? html`<span class="usage" part="usage">· ${parts.join(' · ')}</span>` : nothing}
    </span>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'voice-buddy-status-pill': VoiceBuddyStatusPill;
  }
}
