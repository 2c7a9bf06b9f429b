import { ContextConsumer } from '@lit/context';
import type { ReactiveControllerHost } from 'lit';
import type { ReadableAtom } from 'nanostores';
import { sessionContext } from './context.ts';
import type { SessionStore } from './session-store.ts';
import { StoreController } from './store-controller.ts';

type Host = ReactiveControllerHost & HTMLElement;

/**
 * A part's view of its <voice-buddy>: the element's stores, from the session context, and a re-render whenever one of
 * the stores the part reads (`pick`) changes. The stores are picked again when the context's value arrives or changes.
 */
export class SessionConsumer {
  private readonly consumer: ContextConsumer<typeof sessionContext, Host>;
  private readonly stores: StoreController;

  constructor(host: Host, pick: (session: SessionStore) => ReadonlyArray<ReadableAtom<unknown>>) {
    this.consumer = new ContextConsumer(host, {
      context: sessionContext,
      subscribe: true,
      callback: () => this.stores.resubscribe(),
    });
    this.stores = new StoreController(host, () => (this.consumer.value ? pick(this.consumer.value) : []));
  }

  /** The element's stores, once the context has answered. */
  get value(): SessionStore | undefined {
    return this.consumer.value;
  }
}
