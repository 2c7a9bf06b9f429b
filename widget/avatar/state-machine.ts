export const AVATAR_STATES = [
  'off',
  'checking',
  'connecting',
  'ready',
  'thinking',
  'speaking',
  'degraded',
  'error',
  'closed',
] as const;

export type AvatarState = (typeof AVATAR_STATES)[number];

/**
 * Every allowed edge. What is missing is missing on purpose: a refused edge is a bug in the caller, usually one
 * that would leak an Akool session, whose credits are pre-charged for its whole duration.
 *
 * - off: no avatar. Only the user (or host page) turning it on leaves it.
 * - checking: asking the Worker whether this tenant may open a session (flag, monthly limit). No Akool session
 *   exists yet, so a refusal or a cancel returns straight to `off`; a failed request is an `error`.
 * - connecting: the session is created and Agora is joining. From here on a session exists, so there is no edge to
 *   `off`: cancelling goes through `closed`, which is where the session gets closed.
 * - ready / thinking / speaking: the live avatar, idle, waiting for the model's first sentence, or talking. A reply
 *   can start speaking without a visible thinking phase (text mode, a cached answer), a barge-in during speech
 *   goes back to thinking, and a reply that ends or is cancelled returns to ready.
 * - degraded: still live, but the network is poor or Agora is reconnecting; the avatar keeps talking if it can, so
 *   it has the same exits as the live states. degraded -> degraded reports a change of quality (new reason).
 *   degraded -> connecting is the rejoin after a hard drop or an expired Agora token (tokens live about 5 minutes):
 *   the Akool session is still open, so the lifecycle restarts at connecting, not checking. A live state that loses
 *   its connection reports degraded first, so listeners see why before the rejoin.
 * - error: something failed. `closed` releases a session that exists; `off` is for failures before one existed
 *   (the machine cannot tell which, the connection layer can); `checking` is a retry, which re-checks limits.
 * - closed: the session is released. The avatar can be turned on again (`checking`) or the widget settles at `off`.
 */
export const AVATAR_TRANSITIONS: Readonly<Record<AvatarState, readonly AvatarState[]>> = {
  off: ['checking'],
  checking: ['connecting', 'off', 'error'],
  connecting: ['ready', 'error', 'closed'],
  ready: ['thinking', 'speaking', 'degraded', 'closed', 'error'],
  thinking: ['speaking', 'ready', 'degraded', 'closed', 'error'],
  speaking: ['ready', 'thinking', 'degraded', 'closed', 'error'],
  degraded: ['ready', 'speaking', 'thinking', 'degraded', 'connecting', 'closed', 'error'],
  error: ['off', 'checking', 'closed'],
  closed: ['off', 'checking'],
};

export interface AvatarStateChange {
  from: AvatarState;
  to: AvatarState;
  reason?: string;
}

export type AvatarStateListener = (change: AvatarStateChange) => void;

export class InvalidTransitionError extends Error {
  override readonly name = 'InvalidTransitionError';
  readonly from: AvatarState;
  readonly to: AvatarState;
  readonly reason: string | undefined;

  constructor(from: AvatarState, to: AvatarState, reason?: string) {
    super(`avatar: invalid transition ${from} -> ${to}${reason ? ` (${reason})` : ''}`);
    this.from = from;
    this.to = to;
    this.reason = reason;
  }
}

export interface AvatarStateMachineOptions {
  initial?: AvatarState;
  /** Throw on an invalid transition (tests) instead of reporting it and staying put (production). */
  strict?: boolean;
  onInvalid?: (error: InvalidTransitionError) => void;
  /** A throwing listener must not stop the others or undo the transition; by default it is rethrown async. */
  onListenerError?: (error: unknown) => void;
}

export function canTransition(from: AvatarState, to: AvatarState): boolean {
  return AVATAR_TRANSITIONS[from].includes(to);
}

export class AvatarStateMachine {
  private current: AvatarState;
  private readonly strict: boolean;
  private readonly onInvalid: (error: InvalidTransitionError) => void;
  private readonly onListenerError: (error: unknown) => void;
  private readonly listeners = new Set<AvatarStateListener>();
  private readonly pending: AvatarStateChange[] = [];
  private notifying = false;

  constructor(options: AvatarStateMachineOptions = {}) {
    this.current = options.initial ?? 'off';
    this.strict = options.strict ?? false;
    this.onInvalid = options.onInvalid ?? ((error) => console.warn(error.message));
    this.onListenerError =
      options.onListenerError ??
      ((error) =>
        queueMicrotask(() => {
          throw error;
        }));
  }

  get state(): AvatarState {
    return this.current;
  }

  can(to: AvatarState): boolean {
    return canTransition(this.current, to);
  }

  /** Moves to `to`; returns false (or throws, when strict) if the edge is not in the table. */
  transition(to: AvatarState, reason?: string): boolean {
    const from = this.current;
    if (!canTransition(from, to)) {
      const error = new InvalidTransitionError(from, to, reason);
      if (this.strict) throw error;
      this.onInvalid(error);
      return false;
    }
    this.current = to;
    this.emit(reason === undefined ? { from, to } : { from, to, reason });
    return true;
  }

  /** Listens to every later change; the current state is `state`. Returns the unsubscribe function. */
  subscribe(listener: AvatarStateListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /**
   * A listener may itself call `transition`. Its change is queued and delivered after the current one has reached
   * every listener, so all listeners see the changes in the order they happened.
   */
  private emit(change: AvatarStateChange): void {
    this.pending.push(change);
    if (this.notifying) return;
    this.notifying = true;
    try {
      for (let next = this.pending.shift(); next; next = this.pending.shift()) {
        for (const listener of [...this.listeners]) {
          if (!this.listeners.has(listener)) continue; // unsubscribed by an earlier listener
          try {
            listener(next);
          } catch (error) {
            this.onListenerError(error);
          }
        }
      }
    } finally {
      this.notifying = false;
    }
  }
}
