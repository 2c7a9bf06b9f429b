// The talking avatar, loaded the first time a visitor turns it on. Self-contained: it shares no code with the
// main bundle (the IIFE build loads it by URL), so it takes plain callbacks and plain `{ code, message }` errors.
// The Agora SDK is a further chunk of its own, loaded while the Worker creates the session.
import { AvatarController, type AvatarHandle, type AvatarOptions, type AvatarQuality } from './controller.ts';
import type { AvatarRtc } from './rtc.ts';
import type { AvatarState } from './state-machine.ts';

export type { AvatarApi, AvatarEvents, AvatarHandle, AvatarQuality, AvatarQualitySetting } from './controller.ts';
export type { BudgetReading } from './budget.ts';
export type { AvatarRtc } from './rtc.ts';

/** The `voice-buddy-avatar` event's detail. */
export type AvatarDetail =
  | { type: 'started' }
  | { type: 'fallback'; reason: string }
  | { type: 'quality-changed'; quality: AvatarQuality }
  | { type: 'sync'; ms: number };

/** How the element hears about its avatar; wired here so that the main bundle stays small. */
export interface AvatarBridge {
  event(detail: AvatarDetail): void;
  error(code: string, message: string): void;
  state(state: AvatarState): void;
}

/** `createRtc` defaults to the real Agora client; tests pass a fake. */
export type StartAvatarOptions = Omit<AvatarOptions, 'createRtc'> & {
  createRtc?: () => AvatarRtc | Promise<AvatarRtc>;
  bridge?: AvatarBridge;
};

const agora = async (): Promise<AvatarRtc> => (await import('./agora.ts')).createAgoraRtc();

export function startAvatar({ bridge, ...options }: StartAvatarOptions): AvatarHandle {
  const handle = new AvatarController({ ...options, createRtc: options.createRtc ?? agora });
  if (bridge) {
    handle.on('started', () => bridge.event({ type: 'started' }));
    handle.on('quality-changed', ({ quality }) => bridge.event({ type: 'quality-changed', quality }));
    handle.on('fallback', ({ reason }) => bridge.event({ type: 'fallback', reason }));
    handle.on('sync', ({ ms }) => bridge.event({ type: 'sync', ms }));
    handle.on('error', ({ code, message }) => bridge.error(code, message));
    handle.on('state', ({ to }) => bridge.state(to));
  }
  return handle;
}
