import { Hono } from 'hono';
import { parseJson } from '../../body.ts';
import type { AppEnv } from '../../env.ts';
import { ApiError } from '../../errors.ts';
import { adminActor } from '../../middleware/admin-auth.ts';
import { adminView, TenantCreateSchema, TenantPatchSchema } from '../../tenants/model.ts';
import { auditLog, createTenant, getTenant, listTenants, updateTenant } from '../../tenants/store.ts';

export const adminTenants = new Hono<AppEnv>()
  .get('/', async (c) => c.json({ tenants: (await listTenants(c.env)).map(adminView) }))
  .post('/', async (c) => {
    const input = await parseJson(c, TenantCreateSchema);
    const tenant = await createTenant(c.env, input, adminActor(c.req.raw));
    return c.json({ tenant: adminView(tenant) }, 201);
  })
  .get('/:id', async (c) => {
    const tenant = await getTenant(c.env, c.req.param('id'));
    if (!tenant) throw new ApiError(404, 'not_found', `Tenant "${c.req.param('id')}" not found`);
    return c.json({ tenant: adminView(tenant) });
  })
  .put('/:id', async (c) => {
    const patch = await parseJson(c, TenantPatchSchema);
    const tenant = await updateTenant(c.env, c.req.param('id'), patch, adminActor(c.req.raw));
    return c.json({ tenant: adminView(tenant) });
  })
  .get('/:id/audit', async (c) => c.json({ entries: await auditLog(c.env, `tenant:${c.req.param('id')}`) }));
