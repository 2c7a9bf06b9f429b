import { createContext } from '@lit/context';
import type { Locale } from './locale.ts';

/** Sub-elements of one <voice-buddy> read that instance's language through this context. */
export const localeContext = createContext<Locale>(Symbol('voice-buddy-locale'));
