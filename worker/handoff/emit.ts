import type { Env } from '../env.ts';
import { appendEvent } from './store.ts';

/** What a generator reports; each call is one event in the generation's log. */
export interface Emit {
  progress(percent: number, stage: string): Promise<void>;
  concept(index: number, imageUrl: string, alt: string): Promise<void>;
  done(concepts: number): Promise<void>;
}

/** Thrown into a generator when its generation has already ended (failed by a stall check, say): stop working. */
export class GenerationClosed extends Error {
  constructor() {
    super('generation already ended');
    this.name = 'GenerationClosed';
  }
}

export function emitter(env: Env, generationId: string): Emit {
  const append = async (type: 'progress' | 'concept' | 'done', data: Record<string, unknown>) => {
    if ((await appendEvent(env, generationId, type, data)) === null) throw new GenerationClosed();
  };
  return {
    progress: (percent, stage) =>
      append('progress', { percent: Math.max(0, Math.min(100, Math.round(percent))), stage }),
    concept: (index, imageUrl, alt) => append('concept', { index, imageUrl, alt }),
    done: (concepts) => append('done', { concepts }),
  };
}
