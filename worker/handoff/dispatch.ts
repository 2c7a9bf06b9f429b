import type { Keywords } from '../../widget/keywords/types.ts';
import type { Env } from '../env.ts';
import { ApiError } from '../errors.ts';
import { isSandbox } from '../providers/openai.ts';
import type { Tenant } from '../tenants/model.ts';
import { emitter, GenerationClosed } from './emit.ts';
import { generateWithOpenAI, IMAGE_COUNT } from './openai-images.ts';
import { altText } from './prompt.ts';
import { runSandbox } from './sandbox-generator.ts';
import { failGeneration, type Target } from './store.ts';
import { dispatchWebhook } from './webhook.ts';

export interface GenerationJob {
  id: string;
  tenant: Tenant;
  sessionId: string | null;
  keywords: Keywords;
  prompt: string;
  target: Target;
  callbackUrl: string;
  createdAt: string;
}

/**
 * Where a tenant's generations go. Unset: OpenAI when the server has a key, else the sandbox; "openai-images"
 * without a key also falls back to the sandbox, as every provider does in sandbox mode. A webhook that is not fully
 * configured is refused before any unit is spent: showing sandbox cards to a real shop's visitors would be worse.
 */
export function resolveTarget(env: Env, tenant: Tenant): Target {
  const handoff = tenant.settings.handoff ?? {};
  const target = handoff.target ?? (isSandbox(env) ? 'sandbox' : 'openai-images');
  if (target === 'webhook') {
    if (!handoff.webhookUrl || !handoff.webhookSecret) {
      throw new ApiError(409, 'handoff_not_configured', 'This site has not finished setting up its image service');
    }
    return 'webhook';
  }
  if (target === 'openai-images' && isSandbox(env)) return 'sandbox';
  return target;
}

/**
 * Runs one generation to its end; every failure becomes an `error` event, and the unit goes back if nothing was made.
 */
export async function runGeneration(env: Env, job: GenerationJob): Promise<void> {
  const emit = emitter(env, job.id);
  try {
    if (job.target === 'sandbox') {
      await runSandbox(job.keywords, emit);
    } else if (job.target === 'openai-images') {
      await generateWithOpenAI(env, job.prompt, (i) => altText(job.keywords, i, IMAGE_COUNT), emit);
    } else {
      const { webhookUrl, webhookSecret } = job.tenant.settings.handoff ?? {};
      await dispatchWebhook(
        env,
        webhookUrl!,
        webhookSecret!,
        {
          type: 'generation.requested',
          generationId: job.id,
          tenantId: job.tenant.id,
          sessionId: job.sessionId,
          keywords: job.keywords,
          prompt: job.prompt,
          callbackUrl: job.callbackUrl,
          createdAt: job.createdAt,
        },
        emit,
      );
    }
  } catch (e) {
    if (e instanceof GenerationClosed) return;
    const err = e instanceof ApiError ? e : new ApiError(502, 'generation_failed', 'Generating the concepts failed');
    console.error('generation failed', {
      generationId: job.id,
      tenant: job.tenant.id,
      target: job.target,
      code: err.code,
      ...(e instanceof ApiError ? {} : { error: (e as Error).message }),
    });
    await failGeneration(env, job.id, err.code, err.message).catch((f: Error) =>
      console.error('recording a failed generation failed', { generationId: job.id, error: f.message }),
    );
  }
}
