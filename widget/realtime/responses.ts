import type { RealtimeClientEvent, RealtimeErrorEvent } from 'openai/resources/realtime/realtime';

/** Errors that are the normal friction of a live conversation: handled here, never shown to the visitor. */
export const BENIGN_ERRORS = new Set(['response_cancel_not_active', 'conversation_already_has_active_response']);

/**
 * One response at a time, as the Realtime API insists (a second `response.create` while one is in progress gets
 * `conversation_already_has_active_response`). Like the official SDK's ResponseCreateSequencer: a request made while
 * a response is active, or while our own `response.create` is not yet acknowledged, waits for `response.done`, and
 * requests that pile up meanwhile go out as one. A function call always arrives before the `response.done` of its
 * response, so its output is sent at once and the follow-up `response.create` waits here, until every call of that
 * response has its output.
 */
export class ResponseGate {
  /** Between `response.created` and `response.done`, whoever started it (us, or the server's turn detection). */
  private active = false;
  /** Our `response.create` on its way: its event id until the server acknowledges it with `response.created`. */
  private inFlight: string | null = null;
  /** A response is wanted as soon as the conversation is free. */
  private wanted = false;
  private cancelling = false;
  /** Function calls of the current response still without an output. */
  private readonly unanswered = new Set<string>();
  private seq = 0;

  constructor(private readonly send: (event: RealtimeClientEvent) => void) {}

  get responding(): boolean {
    return this.active;
  }

  /** Asks for one response, now or after the current one; several requests before it starts make one. */
  request(opts: { user?: boolean } = {}): void {
    // A visitor's own turn does not wait for tool outputs that may never come; the reply sees the ones that did.
    if (opts.user) this.unanswered.clear();
    this.wanted = true;
    this.flush();
  }

  /** A function call arrived; the follow-up response waits until it is answered. */
  called(callId: string): void {
    this.unanswered.add(callId);
  }

  answered(callId: string): void {
    this.unanswered.delete(callId);
    this.flush();
  }

  /**
   * Sends `response.cancel` only when there is a response to cancel (else the API answers response_cancel_not_active).
   */
  cancel(): boolean {
    if (!this.active || this.cancelling) return false;
    this.cancelling = true;
    this.send({ type: 'response.cancel' });
    return true;
  }

  created(): void {
    this.active = true;
    this.inFlight = null;
  }

  done(): void {
    this.active = false;
    this.cancelling = false;
    this.inFlight = null;
    this.flush();
  }

  /** Returns true when the error was about response ordering and has been dealt with here. */
  error(event: RealtimeErrorEvent): boolean {
    const { code, event_id: about } = event.error;
    const ours = this.inFlight !== null && (about === this.inFlight || !about);
    if (code === 'conversation_already_has_active_response') {
      // Another response (the server's own, after speech) got there first: ours goes out after it ends.
      if (ours || (about ?? '').startsWith('vb_response_')) {
        this.inFlight = null;
        this.wanted = true;
      }
      this.active = true;
      return true;
    }
    if (code === 'response_cancel_not_active') {
      this.cancelling = false;
      return true;
    }
    // Any other refusal of our response.create: it will not start, so do not wait for it.
    if (ours && about) {
      this.inFlight = null;
      this.flush();
    }
    return false;
  }

  private flush() {
    if (!this.wanted || this.active || this.inFlight || this.unanswered.size > 0) return;
    this.wanted = false;
    const eventId = `vb_response_${++this.seq}`;
    this.inFlight = eventId;
    this.send({ type: 'response.create', event_id: eventId });
  }
}
