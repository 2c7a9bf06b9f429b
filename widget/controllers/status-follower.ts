import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { SessionStore } from '../state/session-store.ts';

/**
 * A reactive controller that follows the conversation's status while its element is on the page, and stops what it
 * runs when the element leaves: the shared lifecycle of the avatar's and the speaker's hosts.
 */
export abstract class StatusFollower implements ReactiveController {
  private off: (() => void) | null = null;

  constructor(
    protected readonly host: ReactiveControllerHost,
    protected readonly store: SessionStore,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.off = this.store.$status.listen(() => this.sync());
  }

  hostDisconnected(): void {
    this.off?.();
    this.off = null;
    this.left();
  }

  /** Called on every status change. */
  abstract sync(): void;

  /** The element left the page. */
  protected abstract left(): void;
}
