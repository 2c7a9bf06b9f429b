// Part of the contract between the Worker and the widget (widget/contract/): plain values, no Worker or DOM imports.

/** What a failure with a given code means for what happens next. */
export interface ErrorPolicy {
  /** Trying the same again may work: the error box offers Retry, a dropped session reconnects. */
  retry: boolean;
  /** Another mode may work (hands-free, then push-to-talk, then text). */
  fallback: boolean;
  /** A feature that ended by itself (the avatar) may try again in this conversation. */
  restart: boolean;
}

const policy = (retry: boolean, fallback: boolean, restart: boolean): ErrorPolicy => ({ retry, fallback, restart });
/** The site or its limits said no: nothing the widget can do changes that. */
const REFUSED = policy(false, false, false);
/** The visitor's device or page: another mode needs the same microphone. */
const VISITOR = policy(true, false, true);
/** The conversation hit one of its caps (relay close codes 4001-4003, 4005): a new conversation may start. */
const CAPPED = policy(false, false, true);

/**
 * Error codes of the Worker (worker/errors.ts callers), of the relay (its close reasons) and of the widget whose
 * handling differs from the default (`DEFAULT_POLICY`: try again, fall back, restart).
 */
export const ERROR_POLICIES: Readonly<Record<string, ErrorPolicy>> = {
  unknown_key: REFUSED,
  origin_not_allowed: REFUSED,
  tenant_suspended: REFUSED,
  quota_exceeded: REFUSED,
  rate_limited: policy(true, false, false),
  feature_disabled: policy(false, true, false),
  provider_auth_failed: policy(false, true, false),
  mode_not_allowed: policy(false, true, true),
  model_not_allowed: policy(false, true, true),
  avatar_credits_exhausted: policy(true, true, false),
  avatar_busy: policy(true, true, false),
  avatar_not_enabled: policy(true, true, false),
  avatar_unavailable: policy(true, true, false),
  avatar_not_found: policy(true, true, false),
  mic_permission_denied: VISITOR,
  mic_not_found: VISITOR,
  mic_busy: VISITOR,
  mic_unavailable: VISITOR,
  insecure_context: policy(false, false, true),
  session_max_seconds: CAPPED,
  session_max_bytes: CAPPED,
  events_per_second: CAPPED,
  bad_event: CAPPED,
};

export const DEFAULT_POLICY: ErrorPolicy = policy(true, true, true);

export const errorPolicy = (code: string): ErrorPolicy => ERROR_POLICIES[code] ?? DEFAULT_POLICY;
