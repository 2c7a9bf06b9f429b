// The ANALYTICS queue's consumer: folds a batch of messages into per-tenant, per-hour rows of D1 (migration 0008)
// in one batch of upserts. Metric names are `<source>.<event>` with `.<field>=<value>` for each dimension and
// `.<field>` for each summed number; latencies go to fixed-bucket histograms; cost is priced here (prices.ts).
import type { Env } from '../env.ts';
import { bucketOf } from './buckets.ts';
import type { QueueMessage, ServerEvent, WidgetEvent } from './events.ts';
import { PRICES } from './prices.ts';

const DIMENSIONS = ['mode', 'to', 'ok', 'code', 'reason', 'outcome', 'quality', 'provider'] as const;
const SUMS = [
  'turns',
  'bytes',
  'refused',
  'characters',
  'images',
  'seconds',
  'inputTextTokens',
  'inputAudioTokens',
  'cachedTokens',
  'outputTextTokens',
  'outputAudioTokens',
] as const;

type AnyEvent = Omit<WidgetEvent, 'name'> & Omit<ServerEvent, 'name'> & { name: string };

export function eventCost(e: Partial<AnyEvent>, source: QueueMessage['source']): Record<string, number> {
  if (source !== 'server') return {};
  const p = PRICES;
  switch (e.name) {
    case 'tokens':
      return {
        realtime:
          (e.inputTextTokens ?? 0) * p.realtime.inputTextPerToken +
          (e.inputAudioTokens ?? 0) * p.realtime.inputAudioPerToken +
          (e.cachedTokens ?? 0) * p.realtime.cachedInputPerToken +
          (e.outputTextTokens ?? 0) * p.realtime.outputTextPerToken +
          (e.outputAudioTokens ?? 0) * p.realtime.outputAudioPerToken,
      };
    case 'generation_done':
      return { images: (e.images ?? 0) * p.imagePerImage };
    case 'avatar_end':
      return { avatar: Math.ceil((e.seconds ?? 0) / 60) * (e.ratePerMinuteUsd ?? p.avatarPerMinute) };
    case 'tts':
      return { tts: (e.characters ?? 0) * p.ttsPerCharacter };
    default:
      return {};
  }
}

export interface Rollup {
  counters: Map<string, number>;
  histograms: Map<string, number>;
}

const hourKey = (tenant: string, at: number) => {
  const iso = new Date(at).toISOString();
  return `${tenant}\u0000${iso.slice(0, 10)}\u0000${Number(iso.slice(11, 13))}`;
};

/** Pure: the increments a set of messages makes, keyed tenant \0 day \0 hour \0 metric [\0 bucket]. */
export function rollUp(messages: readonly QueueMessage[]): Rollup {
  const counters = new Map<string, number>();
  const histograms = new Map<string, number>();
  const add = (key: string, n: number) => counters.set(key, (counters.get(key) ?? 0) + n);
  for (const msg of messages) {
    const at = hourKey(msg.tenant, msg.at);
    for (const raw of msg.events) {
      const e = raw as Partial<AnyEvent>;
      const base = `${msg.source}.${e.name}`;
      add(`${at}\u0000${base}`, 1);
      for (const dim of DIMENSIONS) if (e[dim] !== undefined) add(`${at}\u0000${base}.${dim}=${String(e[dim])}`, 1);
      // Connected sessions by mode need both fields of one event, which independent dimensions lose.
      if (e.name === 'connect_result' && e.ok === true && e.mode) add(`${at}\u0000${base}.connected.mode=${e.mode}`, 1);
      for (const sum of SUMS) if (typeof e[sum] === 'number') add(`${at}\u0000${base}.${sum}`, e[sum]);
      if (typeof e.ms === 'number') {
        const key = `${at}\u0000${base}\u0000${bucketOf(e.ms)}`;
        histograms.set(key, (histograms.get(key) ?? 0) + 1);
      }
      for (const [kind, usd] of Object.entries(eventCost(e, msg.source))) {
        if (usd > 0) {
          add(`${at}\u0000cost.usd`, usd);
          add(`${at}\u0000cost.${kind}.usd`, usd);
        }
      }
    }
  }
  return { counters, histograms };
}

export async function writeRollup(env: Env, rollup: Rollup): Promise<void> {
  const statements: D1PreparedStatement[] = [];
  const counter = env.DB.prepare(
    `INSERT INTO analytics_counters (tenant_id, day, hour, metric, value) VALUES (?1, ?2, ?3, ?4, ?5)
     ON CONFLICT (tenant_id, day, hour, metric) DO UPDATE SET value = value + excluded.value`,
  );
  const histogram = env.DB.prepare(
    `INSERT INTO analytics_histograms (tenant_id, day, hour, metric, bucket, count) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
     ON CONFLICT (tenant_id, day, hour, metric, bucket) DO UPDATE SET count = count + excluded.count`,
  );
  for (const [key, n] of rollup.counters) {
    const [tenant, day, hour, metric] = key.split('\u0000');
    statements.push(counter.bind(tenant, day, Number(hour), metric, n));
  }
  for (const [key, n] of rollup.histograms) {
    const [tenant, day, hour, metric, bucket] = key.split('\u0000');
    statements.push(histogram.bind(tenant, day, Number(hour), metric, Number(bucket), n));
  }
  // D1 runs a batch as one transaction: the whole batch of messages counts once, or not at all (then retried).
  if (statements.length) await env.DB.batch(statements);
}

/** Queue handler (worker/index.ts). Delivery is at least once: a retried batch may count twice (README). */
export async function consumeAnalytics(batch: MessageBatch<QueueMessage>, env: Env): Promise<void> {
  const messages = batch.messages
    .map((m) => m.body)
    .filter((b) => b && typeof b.tenant === 'string' && Array.isArray(b.events));
  await writeRollup(env, rollUp(messages));
  batch.ackAll();
}
