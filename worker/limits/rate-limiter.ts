import { DurableObject } from 'cloudflare:workers';
import type { Env } from '../env.ts';

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  reset: number;
}

/**
 * One object per tenant and client IP. A sliding window over the last minute, estimated from the current and
 * previous fixed windows (as Cloudflare's own rate limiting does): smooth at window edges, two numbers of state.
 */
export class RateLimiter extends DurableObject<Env> {
  private windowStart = 0;
  private current = 0;
  private previous = 0;

  /** `cost`: how many units this hit spends (a batch of events spends one per event). */
  hit(limit: number, windowMs = 60_000, now = Date.now(), cost = 1): RateDecision {
    const start = now - (now % windowMs);
    if (start !== this.windowStart) {
      this.previous = start - this.windowStart === windowMs ? this.current : 0;
      this.current = 0;
      this.windowStart = start;
    }
    const elapsed = (now - start) / windowMs;
    const estimate = this.previous * (1 - elapsed) + this.current;
    const reset = Math.max(1, Math.ceil((start + windowMs - now) / 1000));
    if (estimate + cost > limit)
      return { allowed: false, limit, remaining: Math.max(0, Math.floor(limit - estimate)), reset };
    this.current += cost;
    return { allowed: true, limit, remaining: Math.max(0, Math.floor(limit - estimate - cost)), reset };
  }
}
