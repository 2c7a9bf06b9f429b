import type { Keywords } from '../../widget/keywords/types.ts';
import type { Env } from '../env.ts';
import { ApiError } from '../errors.ts';
import { callProvider, upstreamTimeout } from '../providers/upstream.ts';
import type { Emit } from './emit.ts';
import { signWebhook } from './signature.ts';

/** The job a tenant's webhook receives; `callbackUrl` is where it posts progress, concepts, done or error. */
export interface WebhookJob {
  type: 'generation.requested';
  generationId: string;
  tenantId: string;
  sessionId: string | null;
  keywords: Keywords;
  prompt: string;
  callbackUrl: string;
  createdAt: string;
}

/**
 * Sends the signed job and reports "dispatched". The tenant renders on its own servers and reports back through the
 * callback, each report its own request, so nothing here waits for the images.
 */
export async function dispatchWebhook(
  env: Env,
  url: string,
  secret: string,
  job: WebhookJob,
  emit: Emit,
): Promise<void> {
  const body = JSON.stringify(job);
  const headers = {
    'Content-Type': 'application/json',
    'User-Agent': 'voice-buddy-webhook/1',
    ...(await signWebhook(secret, body)),
  };
  let res: Response;
  try {
    // A redirect is refused rather than followed: the signed body must reach the URL the admin configured, and no
    // other.
    res = await callProvider(
      'The image webhook',
      url,
      { method: 'POST', headers, body, redirect: 'manual' },
      upstreamTimeout(env),
    );
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    if (e.code === 'provider_timeout')
      throw new ApiError(504, 'webhook_timeout', "The site's image service did not answer in time");
    if (e.code === 'provider_unreachable')
      throw new ApiError(502, 'webhook_unreachable', "The site's image service could not be reached");
    throw new ApiError(502, 'webhook_rejected', "The site's image service refused the job");
  }
  await res.body?.cancel().catch(() => {});
  if (res.status >= 300) throw new ApiError(502, 'webhook_rejected', `The site's image service answered ${res.status}`);
  await emit.progress(5, 'dispatched');
}
