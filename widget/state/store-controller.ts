import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ReadableAtom } from 'nanostores';

/** Re-renders its host when any of the given stores changes; subscribes only while the host is connected. */
export class StoreController implements ReactiveController {
  private unsubscribers: Array<() => void> = [];

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly stores: () => ReadonlyArray<ReadableAtom<unknown>>,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.resubscribe();
  }

  /** Call when the set of stores changed (e.g. a context value arrived). */
  resubscribe(): void {
    this.hostDisconnected();
    this.unsubscribers = this.stores().map((store) => store.listen(() => this.host.requestUpdate()));
    this.host.requestUpdate();
  }

  hostDisconnected(): void {
    for (const off of this.unsubscribers) off();
    this.unsubscribers = [];
  }
}
