import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ReadableAtom } from 'nanostores';

/**
 * The microphone level moves every frame: it is written to one CSS variable of the meter (`--_level`) instead of
 * re-rendering the element. Subscribed while the element is on the page.
 */
export class LevelStyle implements ReactiveController {
  private off: (() => void) | null = null;

  constructor(
    host: ReactiveControllerHost,
    private readonly $level: ReadableAtom<number>,
    private readonly target: () => HTMLElement | null,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.off = this.$level.listen((level) => this.target()?.style.setProperty('--_level', level.toFixed(3)));
  }

  hostDisconnected(): void {
    this.off?.();
    this.off = null;
  }
}
