import { MODES as WIDGET_MODES, type Mode } from './contract/modes.ts';

const warned = new Set<string>();

/** Warns once per page for each attribute value that is not valid, then the default applies. */
export function warnOnce(attribute: string, value: string, expected: string): void {
  const key = `${attribute}=${value}`;
  if (warned.has(key)) return;
  warned.add(key);
  console.warn(`<voice-buddy>: ignoring ${attribute}="${value}": expected ${expected}. Using the default.`);
}

export function oneOf<T extends string>(
  attribute: string,
  value: string | null,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === null || value === '') return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  warnOnce(attribute, value, allowed.map((a) => `"${a}"`).join(' | '));
  return fallback;
}

export const MODES: readonly Mode[] = WIDGET_MODES;
export const VARIANTS = ['inline', 'floating'] as const;
export const PLACEMENTS = ['bottom-right', 'bottom-left', 'top-right', 'top-left'] as const;
export const THEMES = ['light', 'dark', 'auto'] as const;

export function validUrl(attribute: string, value: string | null): string | null {
  if (!value) return null;
  try {
    const url = new URL(value, document.baseURI);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.toString();
  } catch {
    /* fall through */
  }
  warnOnce(attribute, value, 'an http(s) URL');
  return null;
}

export function validColor(attribute: string, value: string | null): string | null {
  if (!value) return null;
  if (CSS.supports('color', value)) return value;
  warnOnce(attribute, value, 'a CSS colour such as #4f46e5');
  return null;
}

export function validLang(attribute: string, value: string | null): string | null {
  if (!value) return null;
  try {
    return Intl.getCanonicalLocales(value)[0] ?? null;
  } catch {
    warnOnce(attribute, value, 'a language tag such as "en" or "de-CH"');
    return null;
  }
}

/** The ISO-639-1 part of a language tag ("de-CH" -> "de"), as transcription takes it; undefined when there is none. */
export function spokenLanguage(tag: string | null | undefined): string | undefined {
  const primary = (tag ?? '').split('-')[0]!.toLowerCase();
  return /^[a-z]{2}$/.test(primary) ? primary : undefined;
}

export function validId(attribute: string, value: string | null): string | null {
  if (!value) return null;
  if (/^[\w.:-]{1,128}$/.test(value)) return value;
  warnOnce(attribute, value, '1-128 letters, digits or . _ : -');
  return null;
}

export function validKey(attribute: string, value: string | null): string | null {
  if (!value) return null;
  if (/^pk_[A-Za-z0-9_]{3,64}$/.test(value)) return value;
  warnOnce(attribute, value, 'a publishable key starting with pk_');
  return null;
}

/** The random id kept per browser when the page gives no user-id: rollouts stay sticky for a visitor. */
export function storedVisitorId(): string {
  const KEY = 'voice-buddy:uid';
  try {
    const existing = localStorage.getItem(KEY);
    if (existing && /^[\w.:-]{1,128}$/.test(existing)) return existing;
    const id = `v_${crypto.getRandomValues(new Uint32Array(3)).join('')}`.slice(0, 40);
    localStorage.setItem(KEY, id);
    return id;
  } catch {
    return `v_${Math.random().toString(36).slice(2)}`; // storage blocked (private mode, sandboxed iframe)
  }
}

/**
 * The URL of the widget script, read while the module evaluates (the only moment a classic script knows it):
 * files that ship next to it (the audio worklet, lazy chunks) load from here, and its origin is the default API base.
 */
export const SCRIPT_URL: string = (() => {
  const current = document.currentScript as HTMLScriptElement | null;
  try {
    return new URL(current?.src || import.meta.url).toString();
  } catch {
    return location.href;
  }
})();
export const SCRIPT_ORIGIN: string = new URL(SCRIPT_URL).origin;
