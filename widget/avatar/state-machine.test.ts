import { expect } from '@open-wc/testing';
import {
  AVATAR_STATES,
  AVATAR_TRANSITIONS,
  AvatarStateMachine,
  InvalidTransitionError,
  type AvatarState,
  type AvatarStateChange,
} from './state-machine.ts';

/** The edges the design calls for, written out independently of the table so a stray edit to either shows up. */
const EXPECTED: Record<AvatarState, AvatarState[]> = {
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

const allPairs = AVATAR_STATES.flatMap((from) => AVATAR_STATES.map((to) => [from, to] as const));

describe('AvatarStateMachine', () => {
  it('has exactly the designed edges', () => {
    for (const state of AVATAR_STATES) {
      expect([...AVATAR_TRANSITIONS[state]].sort(), state).to.deep.equal([...EXPECTED[state]].sort());
    }
  });

  it('never lets a live session go straight to off', () => {
    for (const live of ['connecting', 'ready', 'thinking', 'speaking', 'degraded'] as const) {
      expect(AVATAR_TRANSITIONS[live], live).not.to.include('off');
    }
  });

  it('starts off by default and accepts another initial state', () => {
    expect(new AvatarStateMachine().state).to.equal('off');
    expect(new AvatarStateMachine({ initial: 'ready' }).state).to.equal('ready');
  });

  it('allows every listed edge, in strict mode', () => {
    let allowed = 0;
    for (const [from, to] of allPairs) {
      if (!EXPECTED[from].includes(to)) continue;
      const machine = new AvatarStateMachine({ initial: from, strict: true });
      expect(machine.can(to), `${from} -> ${to}`).to.equal(true);
      expect(machine.transition(to, 'test')).to.equal(true);
      expect(machine.state).to.equal(to);
      allowed++;
    }
    expect(allowed).to.equal(34);
  });

  it('refuses every other pair, throwing in strict mode', () => {
    let refused = 0;
    for (const [from, to] of allPairs) {
      if (EXPECTED[from].includes(to)) continue;
      const machine = new AvatarStateMachine({ initial: from, strict: true });
      expect(machine.can(to), `${from} -> ${to}`).to.equal(false);
      let thrown: unknown;
      try {
        machine.transition(to, 'why');
      } catch (error) {
        thrown = error;
      }
      expect(thrown, `${from} -> ${to}`).to.be.instanceOf(InvalidTransitionError);
      const error = thrown as InvalidTransitionError;
      expect([error.from, error.to, error.reason]).to.deep.equal([from, to, 'why']);
      expect(error.message).to.contain(`${from} -> ${to}`);
      expect(machine.state).to.equal(from);
      refused++;
    }
    expect(refused).to.equal(81 - 34);
  });

  it('outside strict mode reports an invalid transition, stays put and notifies nobody', () => {
    const reported: InvalidTransitionError[] = [];
    const machine = new AvatarStateMachine({ initial: 'ready', onInvalid: (e) => reported.push(e) });
    const changes: AvatarStateChange[] = [];
    machine.subscribe((c) => changes.push(c));
    expect(machine.transition('off', 'user closed')).to.equal(false);
    expect(machine.state).to.equal('ready');
    expect(reported).to.have.length(1);
    expect(reported[0]?.from).to.equal('ready');
    expect(reported[0]?.to).to.equal('off');
    expect(changes).to.deep.equal([]);
  });

  it('warns on the console by default', () => {
    const original = console.warn;
    const warnings: unknown[][] = [];
    console.warn = (...args: unknown[]) => warnings.push(args);
    try {
      const machine = new AvatarStateMachine();
      expect(machine.transition('speaking')).to.equal(false);
      expect(machine.state).to.equal('off');
    } finally {
      console.warn = original;
    }
    expect(warnings).to.have.length(1);
    expect(String(warnings[0]?.[0])).to.contain('off -> speaking');
  });

  it('notifies subscribers with from, to and reason until they unsubscribe', () => {
    const machine = new AvatarStateMachine({ strict: true });
    const changes: AvatarStateChange[] = [];
    const unsubscribe = machine.subscribe((c) => changes.push(c));
    machine.transition('checking');
    machine.transition('connecting', 'entitled');
    unsubscribe();
    machine.transition('ready');
    expect(changes).to.deep.equal([
      { from: 'off', to: 'checking' },
      { from: 'checking', to: 'connecting', reason: 'entitled' },
    ]);
  });

  it('reports degraded -> degraded so a quality change reaches the UI', () => {
    const machine = new AvatarStateMachine({ initial: 'degraded', strict: true });
    const reasons: (string | undefined)[] = [];
    machine.subscribe((c) => reasons.push(c.reason));
    machine.transition('degraded', 'downlink 5');
    machine.transition('degraded', 'downlink 4');
    expect(reasons).to.deep.equal(['downlink 5', 'downlink 4']);
  });

  it('delivers a change made inside a listener after the current one reached everybody', () => {
    const machine = new AvatarStateMachine({ initial: 'ready', strict: true });
    const seen: string[] = [];
    machine.subscribe((c) => {
      seen.push(`a:${c.to}`);
      if (c.to === 'thinking') machine.transition('speaking');
    });
    machine.subscribe((c) => seen.push(`b:${c.to}`));
    machine.transition('thinking');
    expect(seen).to.deep.equal(['a:thinking', 'b:thinking', 'a:speaking', 'b:speaking']);
    expect(machine.state).to.equal('speaking');
  });

  it('keeps notifying the other listeners when one throws', () => {
    const errors: unknown[] = [];
    const machine = new AvatarStateMachine({ strict: true, onListenerError: (e) => errors.push(e) });
    const seen: AvatarState[] = [];
    machine.subscribe(() => {
      throw new Error('boom');
    });
    machine.subscribe((c) => seen.push(c.to));
    expect(machine.transition('checking')).to.equal(true);
    expect(seen).to.deep.equal(['checking']);
    expect(machine.state).to.equal('checking');
    expect((errors[0] as Error).message).to.equal('boom');
  });

  it('does not call a listener that an earlier listener unsubscribed', () => {
    const machine = new AvatarStateMachine({ strict: true });
    let calls = 0;
    let unsubscribeSecond = (): void => {};
    machine.subscribe(() => unsubscribeSecond());
    unsubscribeSecond = machine.subscribe(() => calls++);
    machine.transition('checking');
    expect(calls).to.equal(0);
  });

  it('walks a full session: connect, talk, lose the network, rejoin, close, turn on again', () => {
    const machine = new AvatarStateMachine({ strict: true });
    const path: AvatarState[] = [
      'checking',
      'connecting',
      'ready',
      'thinking',
      'speaking',
      'thinking',
      'speaking',
      'degraded',
      'connecting',
      'ready',
      'closed',
      'checking',
      'error',
      'closed',
      'off',
    ];
    for (const to of path) machine.transition(to);
    expect(machine.state).to.equal('off');
  });
});
