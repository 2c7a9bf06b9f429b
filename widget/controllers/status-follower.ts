import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { SessionStore } from '../state/session-store.ts';

/**
 * A reactive controller that follows the conversation's status while its element is on the page, and stops what it
 * runs when the element leaves: the shared lifecycle of the avatar's and the speaker's hosts. What follows the status
 * is the runner (`R`), the conversation's machinery's, handed over with the first connection; none runs before.
 */
export abstract class StatusFollower<R extends { sync(): void }> implements ReactiveController {
  /** Runs what the host offers with the conversation; there once the machinery is. */
  runner: R | null = null;
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

  /** Called on every status change: the runner starts, loads or stops with the conversation. */
  sync(): void {
    this.runner?.sync();
  }

  /** The runner changed what the element shows. */
  changed(): void {
    this.host.requestUpdate();
  }

  /** The element left the page. */
  protected abstract left(): void;
}
