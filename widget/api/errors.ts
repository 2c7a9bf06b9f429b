import { errorPolicy } from '../contract/errors.ts';
import type { MessageKey } from '../i18n/en.ts';
import { english } from '../i18n/english.ts';
import { ENGLISH, type Params } from '../i18n/locale.ts';
import type { ErrorInfo } from '../state/session-store.ts';

/**
 * An error the widget shows and reports in `voice-buddy-error`: a stable code and a message a person can act on.
 * `message` is English; the widget shows (and reports) the catalogue's `err.<code>` in its own language.
 */
export class WidgetError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly options: {
      retryable?: boolean;
      retryAfterSeconds?: number;
      cause?: unknown;
      /** The catalogue's `err.<text>` is its message, when that is not `err.<code>`; `params` fill it in. */
      text?: string;
      params?: Params;
    } = {},
  ) {
    super(message);
    this.name = 'WidgetError';
  }
  /** An error whose message is the English catalogue's `err.<code>`. */
  static of(code: string, options: WidgetError['options'] = {}): WidgetError {
    const key = `err.${options.text ?? code}`;
    return new WidgetError(code, key in english ? ENGLISH.t(key as MessageKey, options.params) : code, options);
  }
  get retryable(): boolean {
    return this.options.retryable ?? true;
  }
}

/** The visitor's message for one of the Worker's error codes (written for the visitor, not the developer). */
export function messageForServerError(code: string, fallback: string): string {
  return `err.${code}` in english ? ENGLISH.t(`err.${code}` as MessageKey) : fallback;
}

export function fromServerError(code: string, message: string, retryAfterSeconds?: number): WidgetError {
  return new WidgetError(code, messageForServerError(code, message), {
    retryable: errorPolicy(code).retry,
    retryAfterSeconds,
  });
}

/** What the error box shows of an error. */
export function errorInfo(e: WidgetError): ErrorInfo {
  const { text, params } = e.options;
  return {
    code: e.code,
    message: e.message,
    retryable: e.retryable,
    ...(text ? { text } : {}),
    ...(params ? { params } : {}),
  };
}
