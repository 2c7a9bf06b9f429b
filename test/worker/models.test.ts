// Current models: new tenants get gpt-realtime-2.1 and its mini, migration 0005 moves existing tenants off the models
// OpenAI shuts down on 2027-01-20, the admin API refuses those models, and transcription uses gpt-transcribe with the
// design vocabulary as keywords and the visitor's language.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { ADMIN, call, createTenant, expectError, uniqueId } from './helpers.ts';
import { fakeRealtime, openRelay, sleep } from './relay-client.ts';

const admin = (path: string, method: string, body: unknown) =>
  call(path, { method, headers: { ...ADMIN, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

describe('current models', () => {
  it('gives a new tenant gpt-realtime-2.1 and gpt-realtime-2.1-mini', async () => {
    const t = (await createTenant()) as unknown as { allowedModels: string[]; defaultModel: string };
    expect(t.allowedModels).toEqual(['gpt-realtime-2.1', 'gpt-realtime-2.1-mini']);
    expect(t.defaultModel).toBe('gpt-realtime-2.1');
  });

  it('migration 0005 moves tenants off retired models, keeping their order and nothing twice', async () => {
    const id = uniqueId('old');
    await env.DB.prepare(
      "INSERT INTO tenants (id, publishable_key, name, allowed_models, default_model) VALUES (?, ?, 'Old', ?, ?)",
    )
      .bind(
        id,
        `pk_${id.replace(/-/g, '_')}`,
        JSON.stringify(['gpt-realtime-mini', 'gpt-realtime', 'gpt-realtime-2.1', 'gpt-4o-realtime-preview']),
        'gpt-realtime-mini',
      )
      .run();
    const current = uniqueId('new');
    await env.DB.prepare(
      "INSERT INTO tenants (id, publishable_key, name, allowed_models, default_model) VALUES (?, ?, 'New', ?, ?)",
    )
      .bind(current, `pk_${current.replace(/-/g, '_')}`, JSON.stringify(['gpt-realtime-2']), 'gpt-realtime-2')
      .run();
    const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith('0005'))!;
    // Only its UPDATE: the columns it adds are there already.
    const update = migration.queries
      .join(';\n')
      .split(/;\s*\n/)
      .find((q) => q.includes('UPDATE tenants'))!;
    await env.DB.prepare(update).run();
    const row = await env.DB.prepare('SELECT allowed_models, default_model FROM tenants WHERE id = ?')
      .bind(id)
      .first<{ allowed_models: string; default_model: string }>();
    expect(JSON.parse(row!.allowed_models)).toEqual(['gpt-realtime-2.1-mini', 'gpt-realtime-2.1']);
    expect(row!.default_model).toBe('gpt-realtime-2.1-mini');
    const untouched = await env.DB.prepare('SELECT allowed_models, default_model FROM tenants WHERE id = ?')
      .bind(current)
      .first<{ allowed_models: string; default_model: string }>();
    expect([JSON.parse(untouched!.allowed_models), untouched!.default_model]).toEqual([
      ['gpt-realtime-2'],
      'gpt-realtime-2',
    ]);
  });

  it('the admin API refuses a retired model with a clear error, on create and on update', async () => {
    const id = uniqueId();
    const created = await admin('/admin/tenants', 'POST', {
      id,
      name: 'Retro',
      allowedModels: ['gpt-realtime-2.1', 'gpt-realtime'],
    });
    const body = await expectError(created, 400, 'model_retired');
    expect(body.error.message).toMatch(
      /gpt-realtime is retired by OpenAI \(shutdown 2027-01-20\); use gpt-realtime-2\.1/,
    );
    expect(body.error.details).toEqual([expect.objectContaining({ path: 'allowedModels[1]' })]);
    const t = await createTenant();
    const updated = await admin(`/admin/tenants/${t.id}`, 'PUT', {
      allowedModels: ['gpt-realtime-2.1', 'gpt-realtime-mini'],
      defaultModel: 'gpt-realtime-mini',
    });
    const refused = await expectError(updated, 400, 'model_retired');
    expect(refused.error.details).toEqual([
      expect.objectContaining({ path: 'allowedModels[1]' }),
      expect.objectContaining({ path: 'defaultModel' }),
    ]);
    const ok = await admin(`/admin/tenants/${t.id}`, 'PUT', {
      allowedModels: ['gpt-realtime-2', 'gpt-realtime-2.1'],
      defaultModel: 'gpt-realtime-2',
    });
    expect(ok.status).toBe(200);
  });

  it("transcribes with gpt-transcribe, the design vocabulary as keywords and the visitor's language", async () => {
    const marker = uniqueId('lang');
    const t = await createTenant({ persona: `Studio ${marker}` });
    await fakeRealtime.behave();
    const { client } = await openRelay(t.publishableKey, 'websocket', {}, { language: 'de' });
    await client.event('session.updated');
    let conn = await fakeRealtime.connection(marker);
    for (let i = 0; !conn && i < 20; i++, await sleep(50)) conn = await fakeRealtime.connection(marker);
    const transcription = (
      conn!.session as { audio: { input: { transcription: { model: string; keywords: string[]; language: string } } } }
    ).audio.input.transcription;
    expect(transcription.model).toBe('gpt-transcribe');
    expect(transcription.language).toBe('de');
    expect(transcription.keywords).toEqual(expect.arrayContaining(['irezumi', 'fine line', 'trash polka', 'sternum']));
    expect((conn as unknown as { refusals: unknown[] }).refusals).toEqual([]);
    client.close();
  });
});
