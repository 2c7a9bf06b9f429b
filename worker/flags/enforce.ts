import type { Context } from 'hono';
import type { AppEnv } from '../env.ts';
import { ApiError } from '../errors.ts';
import type { Mode } from '../tenants/model.ts';
import { evaluateFlag, type FlagResult, type ProductFlagKey } from './evaluate.ts';
import { listFlags } from './store.ts';

/** The widget's stickiness id; declared with the routes' other request schemas. */
export { UidSchema } from '../routes/schemas.ts';

/** Which flag each voice mode needs. */
export const MODE_FLAGS: Record<Mode, ProductFlagKey> = {
  webrtc: 'voice.webrtc',
  websocket: 'voice.websocket',
  text: 'voice.text',
};

/**
 * Refuses a request whose feature is off for this unit (the tenant from tenantAuth, and the uid the widget sent),
 * so a flag that hides a feature in the widget also closes it on the server. Same evaluation as /v1/bootstrap.
 */
export async function requireFlag(
  c: Context<AppEnv>,
  key: ProductFlagKey | (string & {}),
  uid?: string | null,
): Promise<FlagResult> {
  const tenant = c.get('tenant');
  const result = evaluateFlag(await listFlags(c.env), key, { tenantId: tenant.id, uid: uid ?? null });
  if (!result.enabled) {
    throw new ApiError(403, 'feature_disabled', `The feature "${key}" is not available right now`, {
      flag: key,
      reason: result.reason,
    });
  }
  return result;
}
