import { createContext } from '@lit/context';
import type { SessionStore } from './session-store.ts';

/** Sub-elements of one <voice-buddy> receive that instance's stores through this context. */
export const sessionContext = createContext<SessionStore>(Symbol('voice-buddy-session'));
