// The IIFE build's lazy loader: a classic script cannot split itself, so it loads the ES build's chunks, which are
// self-contained, from next to itself (dist/chunks/).
import { SCRIPT_URL } from './attributes.ts';
import type * as Avatar from './avatar/avatar.lazy.ts';
import type * as KeywordTools from './keywords/keywords.lazy.ts';

const chunk = <T>(name: string): Promise<T> => import(/* @vite-ignore */ new URL(`chunks/voice-buddy-${name}.js`, SCRIPT_URL).href) as Promise<T>;

export const loadKeywordTools = () => chunk<typeof KeywordTools>('keywords.lazy');
export const loadAvatar = () => chunk<typeof Avatar>('avatar.lazy');
