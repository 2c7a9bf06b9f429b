import { Hono } from 'hono';
import type { TenantAnswer, TenantList } from '../../api-types.ts';
import type { AppEnv } from '../../env.ts';
import { ApiError } from '../../errors.ts';
import { adminActor } from '../../middleware/admin-auth.ts';
import { adminView, TenantCreateSchema, TenantPatchSchema } from '../../tenants/model.ts';
import { auditLog, createTenant, getTenant, listTenants, updateTenant } from '../../tenants/store.ts';
import { json } from '../../validator.ts';

export const adminTenants = new Hono<AppEnv>()
  .get('/', async (c) => c.json({ tenants: (await listTenants(c.env)).map(adminView) } satisfies TenantList))
  .post('/', json(TenantCreateSchema), async (c) => {
    const tenant = await createTenant(c.env, c.req.valid('json'), adminActor(c.req.raw));
    return c.json({ tenant: adminView(tenant) } satisfies TenantAnswer, 201);
  })
  .get('/:id', async (c) => {
    const tenant = await getTenant(c.env, c.req.param('id'));
    if (!tenant) throw new ApiError(404, 'not_found', `Tenant "${c.req.param('id')}" not found`);
    return c.json({ tenant: adminView(tenant) } satisfies TenantAnswer);
  })
  .put('/:id', json(TenantPatchSchema), async (c) => {
    const tenant = await updateTenant(c.env, c.req.param('id'), c.req.valid('json'), adminActor(c.req.raw));
    return c.json({ tenant: adminView(tenant) } satisfies TenantAnswer);
  })
  .get('/:id/audit', async (c) => c.json({ entries: await auditLog(c.env, `tenant:${c.req.param('id')}`) }));
