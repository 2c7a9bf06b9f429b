import { initialState, Task, TaskStatus } from '@lit/task';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { describeError, type AdminClient } from './api.ts';

/** What a load depends on, the client first: no client (signed out), no load. */
type LoadArgs = readonly [AdminClient | null, ...unknown[]];
type WithClient<A extends LoadArgs> = A extends readonly [AdminClient | null, ...infer Rest]
  ? readonly [AdminClient, ...Rest]
  : never;

export interface PanelLoadConfig<A extends LoadArgs, R> {
  /** Read at every host update, before render: when one of them changes, the load runs again. */
  args: () => A;
  /** The request; `signal` goes to the admin client's fetch. */
  load: (args: WithClient<A>, signal: AbortSignal) => Promise<R>;
  /** Starts the sentence a failed load shows, e.g. 'Could not load the usage: '. */
  failure: string;
  /** For a panel whose writes replace the data too: the result goes into the panel's own state. */
  onComplete?: (value: R) => void;
  /** For a panel that shows load and write failures in one banner: the failure's sentence. */
  onError?: (message: string) => void;
}

/**
 * The one way an admin panel loads: a `@lit/task` Task that runs when its args change (the client, a month, a
 * filter) and on `run()` (Refresh, a tab visited again). A newer run aborts the older one through the Task's
 * AbortSignal, which the admin client hands to fetch, and only the newest run's outcome lands; leaving the page
 * aborts too, and coming back loads again. `value` is the newest result that arrived: Task forgets its value when a
 * run fails, and a panel keeps showing what it had under the error banner.
 */
export class PanelLoad<const A extends LoadArgs, R> implements ReactiveController {
  private readonly task: Task<A, R>;
  private latest: R | undefined;
  /** The signal of the newest run: aborted means superseded, or cut off by a disconnect. */
  private signal: AbortSignal | null = null;
  private resume = false;

  constructor(
    host: ReactiveControllerHost,
    private readonly config: PanelLoadConfig<A, R>,
  ) {
    this.task = new Task<A, R>(host, {
      args: config.args,
      task: (args, { signal }) => {
        this.signal = signal;
        return args[0] ? config.load(args as unknown as WithClient<A>, signal) : initialState;
      },
      onComplete: (value) => {
        this.latest = value;
        config.onComplete?.(value);
      },
      // Task reports an aborted run that no newer run replaced (a disconnect): that is no failure to show.
      onError: (e) => {
        if (!this.signal?.aborted) config.onError?.(this.message(e));
      },
    });
    host.addController(this);
  }

  get value(): R | undefined {
    return this.latest;
  }

  get pending(): boolean {
    return this.task.status === TaskStatus.PENDING;
  }

  /** The failed newest run as a sentence for the banner, or ''. */
  get error(): string {
    return this.task.status === TaskStatus.ERROR && !this.signal?.aborted ? this.message(this.task.error) : '';
  }

  /** Loads again. True when this run's outcome (value or error) is the one now shown, false when superseded. */
  async run(): Promise<boolean> {
    const running = this.task.run();
    // Task calls the task function synchronously inside run(), so this is the signal of the run just started.
    const signal = this.signal;
    await running;
    const settled = this.task.status === TaskStatus.COMPLETE || this.task.status === TaskStatus.ERROR;
    return settled && !signal?.aborted;
  }

  hostConnected(): void {
    if (!this.resume) return;
    this.resume = false;
    void this.task.run();
  }

  hostDisconnected(): void {
    if (!this.pending) return;
    this.resume = true;
    this.task.abort();
  }

  private message(e: unknown): string {
    return `${this.config.failure}${describeError(e)}`;
  }
}
