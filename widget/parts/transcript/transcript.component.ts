import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { LocaleConsumer } from '../../i18n/locale-controller.ts';
import type { TranscriptEntry } from '../../state/session-store.ts';
import { SessionConsumer } from '../../state/session-consumer.ts';

/**
 * The live conversation. Visitor, assistant, tool activity and notices look different; it follows new messages
 * unless the visitor scrolled up, and then offers a button to jump back down.
 * @tag voice-buddy-transcript
 * @csspart log - the scrolling list
 * @csspart message - every message
 * @csspart message-user - a message of the visitor
 * @csspart message-assistant - a message of the assistant
 * @csspart message-tool - tool activity (design notes)
 * @csspart message-notice - a notice (reconnected, switched mode, a warning)
 * @csspart jump-button - "New messages" button shown when scrolled up
 * @csspart message-status - "Sending…" or "Not sent" under a typed message that waits for the connection
 * @csspart resend-button - Retry on a message that was not sent
 * @fires vb-resend - detail: the entry id of a "not sent" message the visitor wants to send again
 */
export class VoiceBuddyTranscript extends LitElement {
  static override styles = css`
    :host { display: flex; flex-direction: column; min-height: 0; position: relative; }
    .log {
      flex: 1; overflow-y: auto; padding: 0.75em; display: flex; flex-direction: column; gap: 0.5em; margin: 0;
      list-style: none; overscroll-behavior: contain;
    }
    .log:focus-visible { outline: 2px solid var(--_accent); outline-offset: -2px; }
    .msg { max-width: 85%; padding: 0.5em 0.75em; border-radius: var(--_radius); line-height: 1.4; white-space: pre-wrap; word-wrap: break-word; }
    .who { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
    .user { align-self: flex-end; background: var(--_user-bg); color: var(--_user-fg); }
    .assistant { align-self: flex-start; background: var(--_assistant-bg); color: var(--_fg); }
    .tool { align-self: center; font-size: 0.8em; color: var(--_muted); background: transparent; border: 1px dashed var(--_border); }
    .notice { align-self: stretch; max-width: none; font-size: 0.85em; color: var(--_muted); background: transparent; padding: 0.25em 0.5em; }
    .notice[data-tone='warning'] { color: #b45309; }
    .notice[data-tone='error'] { color: var(--_danger, #b91c1c); }
    .partial { opacity: 0.8; }
    .status { display: block; font-size: 0.75em; opacity: 0.85; margin-top: 0.2em; }
    .status button { font: inherit; color: inherit; background: transparent; border: 1px solid currentColor; border-radius: 999px; padding: 0 0.6em; margin-inline-start: 0.4em; cursor: pointer; }
    .empty { color: var(--_muted); text-align: center; margin: auto; padding: 1em; }
    .jump {
      position: absolute; bottom: 0.5em; left: 50%; transform: translateX(-50%); border: 0; border-radius: 999px;
      padding: 0.3em 0.8em; background: var(--_accent); color: var(--_accent-fg); font: inherit; font-size: 0.8em; cursor: pointer;
    }
  `;

  static override properties = { placeholder: { type: String }, unseen: { state: true } };
  declare placeholder: string;
  declare unseen: boolean;

  private readonly session = new SessionConsumer(this, (s) => [s.$transcript]);
  private readonly i18n = new LocaleConsumer(this);
  private stickToBottom = true;

  constructor() {
    super();
    this.placeholder = '';
    this.unseen = false;
  }

  private get log(): HTMLElement | null {
    return this.renderRoot.querySelector('.log');
  }

  private atBottom(log: HTMLElement): boolean {
    return log.scrollTop + log.clientHeight >= log.scrollHeight - 24;
  }

  private readonly onScroll = () => {
    const log = this.log;
    if (!log) return;
    this.stickToBottom = this.atBottom(log);
    if (this.stickToBottom) this.unseen = false;
  };

  protected override updated(_changed: PropertyValues): void {
    const log = this.log;
    if (!log) return;
    if (this.stickToBottom) log.scrollTop = log.scrollHeight;
    else if (!this.atBottom(log)) this.unseen = true;
  }

  /** Scrolls to the newest message and follows again. */
  jumpToLatest(): void {
    const log = this.log;
    if (!log) return;
    log.scrollTop = log.scrollHeight;
    this.stickToBottom = true;
    this.unseen = false;
  }

  private delivery(e: TranscriptEntry) {
    const { t } = this.i18n.locale;
    if (e.delivery === 'pending')
      return html`<span class="status" part="message-status" role="status">${t('log.pending')}</span>`;
    if (e.delivery !== 'failed') return nothing;
    const resend = () =>
      this.dispatchEvent(new CustomEvent('vb-resend', { detail: e.id, bubbles: true, composed: true }));
    return html`<span class="status" part="message-status">${t('log.failed')}<button part="resend-button" @click=${resend}>${t('retry')}</button></span>`;
  }

  override render() {
    const entries = this.session.value?.$transcript.get() ?? [];
    const { t } = this.i18n.locale;
    return html`
      <ol class="log" part="log" tabindex="0" aria-label=${t('log.label')} @scroll=${this.onScroll}>
        ${entries.length === 0 && this.placeholder ? html`<li class="empty">${this.placeholder}</li>` : nothing}
        ${repeat(
          entries,
          (e) => e.id,
          (
            e,
          ) => html`<li class="msg ${e.kind} ${e.final ? '' : 'partial'}" part="message message-${e.kind}" data-kind=${e.kind} data-tone=${e.tone ?? nothing}
            data-delivery=${e.delivery ?? nothing}><span class="who">${t(`who.${e.kind}`)}: </span><span dir="auto">${e.i18n ? t(e.i18n.key, e.i18n.params) : e.text}</span>${this.delivery(e)}</li>`,
        )}
      </ol>
      ${this.unseen ? html`<button class="jump" part="jump-button" @click=${this.jumpToLatest}>${t('log.jump')}</button>` : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'voice-buddy-transcript': VoiceBuddyTranscript;
  }
}
