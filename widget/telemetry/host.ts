// Starts and stops the lazily loaded telemetry for one element, as a reactive controller: on when the site allows it
// (bootstrap's `telemetry.enabled`) and the page did not say `telemetry="off"`. Kept tiny: it is in the start-up
// bundle.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { oneOf, SCRIPT_ORIGIN, validKey, validUrl } from '../attributes.ts';
import { loadTelemetry } from '../lazy.ts';
import type { createSessionStore } from '../state/session-store.ts';

type Host = ReactiveControllerHost &
  HTMLElement & { key: string | null; apiBase: string | null; telemetry: string | null };

export class TelemetryHost implements ReactiveController {
  private running: { stop(): void; pageHide(): void } | null = null;
  private for = '';
  private off: (() => void) | null = null;
  /** When the element first met the page (the script upgrading it), and how long until its bootstrap answered. */
  private startedAt: number | null = null;
  private readyMs: number | null = null;
  private readySent = false;

  constructor(
    private readonly host: Host,
    private readonly store: ReturnType<typeof createSessionStore>,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.startedAt ??= performance.now();
    this.off = this.store.$config.listen(() => this.sync());
  }

  hostUpdated(): void {
    this.sync();
  }

  hostDisconnected(): void {
    this.off?.();
    this.off = null;
    this.stop();
  }

  private sync(): void {
    const { host } = this;
    const key = validKey('key', host.key);
    const base = validUrl('api-base', host.apiBase) ?? SCRIPT_ORIGIN;
    const on = oneOf('telemetry', host.telemetry ?? null, ['on', 'off'] as const, 'on') === 'on';
    const config = this.store.$config.get();
    if (config && this.readyMs === null && this.startedAt !== null) this.readyMs = performance.now() - this.startedAt;
    const allowed = on && key !== null && config?.telemetry?.enabled === true;
    const id = allowed ? `${base}|${key}` : '';
    if (id === this.for) return;
    this.stop();
    this.for = id;
    if (!allowed || key === null) return;
    void loadTelemetry().then(
      ({ startTelemetry }) => {
        if (this.for !== id) return;
        // The page figure goes once per element, with the first telemetry that runs.
        const readyMs = this.readySent ? undefined : (this.readyMs ?? undefined);
        this.readySent = true;
        this.running = startTelemetry({ host, store: this.store, base, publishableKey: key, readyMs });
      },
      () => {},
    );
  }

  /** The page is going away: the session's end goes out now, as `pagehide` (before the conversation ends it). */
  pageHide(): void {
    this.running?.pageHide();
  }

  private stop(): void {
    this.running?.stop();
    this.running = null;
    this.for = '';
  }
}
