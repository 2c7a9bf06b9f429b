import { errorPolicy } from '../contract/errors.ts';

/** An error the widget shows and reports in `voice-buddy-error`: a stable code and a message a person can act on. */
export class WidgetError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly options: { retryable?: boolean; retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(message);
    this.name = 'WidgetError';
  }
  get retryable(): boolean {
    return this.options.retryable ?? true;
  }
}

/** Messages for the Worker's error codes, written for the visitor of a site rather than its developer. */
const SERVER_MESSAGES: Record<string, string> = {
  unknown_key: 'This assistant is not set up correctly (unknown site key). Please let the site owner know.',
  origin_not_allowed: 'This assistant is not enabled on this website. Please let the site owner know.',
  tenant_suspended: 'This assistant is not available right now.',
  quota_exceeded: 'The assistant has reached its limit for this month. Please try again later or contact the site.',
  rate_limited: 'Too many attempts in a short time. Please wait a moment and try again.',
  feature_disabled: 'This feature is switched off right now.',
  mode_not_allowed: 'That way of talking is not available on this site.',
  model_not_allowed: 'That assistant model is not available on this site.',
  provider_busy: 'The voice service is busy right now. Please try again in a moment.',
  provider_timeout: 'The voice service took too long to answer. Please try again.',
  provider_auth_failed: 'The voice service is not configured correctly. Please let the site owner know.',
  provider_error: 'The voice service had a problem. Please try again.',
  provider_rejected: 'The voice service could not start the conversation. Please try again.',
  provider_unreachable: 'The voice service could not be reached. Please try again.',
};

export function messageForServerError(code: string, fallback: string): string {
  return SERVER_MESSAGES[code] ?? fallback;
}

export function fromServerError(code: string, message: string, retryAfterSeconds?: number): WidgetError {
  return new WidgetError(code, messageForServerError(code, message), {
    retryable: errorPolicy(code).retry,
    retryAfterSeconds,
  });
}
