import { DurableObject } from 'cloudflare:workers';
import type { Env } from '../env.ts';
import { utcMonth, type UsageKind } from './month.ts';

export interface ConsumeResult {
  granted: boolean;
  used: number;
  limit: number;
  month: string;
}

/**
 * One object per tenant holds its monthly counters in SQLite. Each RPC runs to completion without awaiting,
 * so a check-and-increment can never interleave with another: no more grants than the limit, whatever the concurrency.
 */
export class TenantLimits extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS usage (
      month TEXT NOT NULL, kind TEXT NOT NULL, used INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (month, kind))`);
    this.sql.exec('CREATE TABLE IF NOT EXISTS used_tickets (jti TEXT PRIMARY KEY, exp INTEGER NOT NULL)');
  }

  private used(month: string, kind: UsageKind): number {
    const row = this.sql
      .exec<{ used: number }>('SELECT used FROM usage WHERE month = ? AND kind = ?', month, kind)
      .toArray()[0];
    return row?.used ?? 0;
  }

  consume(kind: UsageKind, limit: number, month: string = utcMonth(), amount = 1): ConsumeResult {
    const used = this.used(month, kind);
    if (used + amount > limit) return { granted: false, used, limit, month };
    this.sql.exec(
      `INSERT INTO usage (month, kind, used) VALUES (?, ?, ?)
       ON CONFLICT (month, kind) DO UPDATE SET used = used + excluded.used`,
      month,
      kind,
      amount,
    );
    return { granted: true, used: used + amount, limit, month };
  }

  /** Gives units back after an upstream failure; never below zero. */
  release(kind: UsageKind, month: string, amount = 1): number {
    this.sql.exec('UPDATE usage SET used = MAX(0, used - ?) WHERE month = ? AND kind = ?', amount, month, kind);
    return this.used(month, kind);
  }

  /**
   * Marks a relay ticket used; false when it already was. Rows are pruned a minute after expiry: by then the
   * signature check refuses the ticket anyway, and the margin covers clock skew between this object and the Worker.
   */
  redeemTicket(jti: string, exp: number, now: number = Math.floor(Date.now() / 1000)): boolean {
    this.sql.exec('DELETE FROM used_tickets WHERE exp < ?', now - 60);
    const inserted = this.sql.exec(
      'INSERT INTO used_tickets (jti, exp) VALUES (?, ?) ON CONFLICT (jti) DO NOTHING RETURNING jti',
      jti,
      exp,
    );
    return inserted.toArray().length === 1;
  }

  usage(month: string = utcMonth()): Record<UsageKind, number> {
    const out: Record<UsageKind, number> = { voice_session: 0, avatar_session: 0, generation: 0, tts_character: 0 };
    for (const row of this.sql.exec<{ kind: UsageKind; used: number }>(
      'SELECT kind, used FROM usage WHERE month = ?',
      month,
    )) {
      out[row.kind] = row.used;
    }
    return out;
  }
}
