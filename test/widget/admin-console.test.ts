import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { deepActive, flagsLoaded, mount, openTab, panel, q, qa, signIn, status, tabTo } from './admin-helpers.ts';
import { text, type } from './admin-helpers.ts';
import { ADMIN_TOKEN, FakeAdminApi } from './fakes/admin-api.ts';

const flagSet = (flags: Element, key: string) => q<HTMLFieldSetElement>(flags, `fieldset[data-flag="${key}"]`);
const inFlag = <T extends Element>(flags: Element, key: string, selector: string) =>
  flagSet(flags, key).querySelector<T>(selector)!;

describe('<vb-admin-app> admin console', () => {
  let api: FakeAdminApi;
  beforeEach(() => {
    sessionStorage.clear();
    localStorage.removeItem('vb-admin-actor');
    api = new FakeAdminApi().install();
  });
  afterEach(() => api.uninstall());

  it('signs in: a wrong token shows the error and is not kept; the right one shows the flags', async () => {
    const app = await mount();
    await expect(app).to.be.accessible();
    await signIn(app, 'wrong-token');
    await waitUntil(() => app.shadowRoot!.querySelector('#signin-error'), 'no sign-in error');
    expect(text(q(app, '#signin-error'))).to.contain('refused');
    expect(q(app, '#token').getAttribute('aria-invalid')).to.equal('true');
    expect(sessionStorage.getItem('vb-admin-token')).to.equal(null);
    await expect(app).to.be.accessible();

    await signIn(app);
    const flags = await flagsLoaded(app);
    expect(qa(flags, 'fieldset[data-flag]').map((f) => f.dataset.flag)).to.deep.equal(api.flags.map((f) => f.key));
    expect(sessionStorage.getItem('vb-admin-token')).to.equal(ADMIN_TOKEN);
    expect(api.requests.at(-1)!.headers['authorization']).to.equal(`Bearer ${ADMIN_TOKEN}`);
    expect(api.requests.at(-1)!.headers['x-admin-actor']).to.equal('alice');
    await expect(app).to.be.accessible();
  });

  it('keeps the session in sessionStorage, signs out, and returns to sign-in on any 401', async () => {
    sessionStorage.setItem('vb-admin-token', ADMIN_TOKEN);
    const app = await mount();
    await flagsLoaded(app);
    api.token = 'rotated';
    q<HTMLButtonElement>(app, '#tab-tenants').click();
    await waitUntil(() => app.shadowRoot!.querySelector('#signin-error'), 'a 401 did not return to the sign-in form');
    expect(text(q(app, '#signin-error'))).to.contain('refused');
    expect(sessionStorage.getItem('vb-admin-token')).to.equal(null);

    api.token = ADMIN_TOKEN;
    await signIn(app);
    await flagsLoaded(app);
    q<HTMLButtonElement>(app, 'header button').click();
    await app.updateComplete;
    expect(app.shadowRoot!.querySelector('#token')).to.exist;
    expect(sessionStorage.getItem('vb-admin-token')).to.equal(null);
  });

  it('stages two flag edits and applies them in ONE bulk request with the note', async () => {
    const app = await mount();
    await signIn(app);
    const flags = await flagsLoaded(app);
    const before = api.requests.length;
    inFlag<HTMLInputElement>(flags, 'avatar', 'input[type="checkbox"][id$="-enabled"]').click();
    type(inFlag<HTMLInputElement>(flags, 'tts', 'input[type="number"]'), '25');
    await (flags as HTMLElement & { updateComplete: Promise<boolean> }).updateComplete;
    expect(api.requests.length, 'staging sends nothing').to.equal(before);
    expect(text(inFlag(flags, 'avatar', 'legend'))).to.contain('staged');
    expect(text(q(flags, '#apply-heading').closest('form'))).to.contain('tts: rollout 0% → 25%');
    expect(text(q(flags, 'form button[type="submit"]'))).to.equal('Apply 2 changes');

    // No note: refused here, nothing sent.
    q<HTMLButtonElement>(flags, 'form button[type="submit"]').click();
    await waitUntil(() => flags.shadowRoot!.querySelector('#bulk-note-error'), 'a missing note was not flagged');
    expect(api.sent('POST', '/admin/flags/bulk')).to.have.length(0);

    type(q<HTMLTextAreaElement>(flags, '#bulk-note'), 'Ramp tts, pause avatar');
    q<HTMLButtonElement>(flags, 'form button[type="submit"]').click();
    await waitUntil(() => status(app).includes('Applied'), 'no save result announced');
    const bulk = api.sent('POST', '/admin/flags/bulk');
    expect(bulk).to.have.length(1);
    expect(bulk[0]!.body).to.deep.equal({
      changes: [
        { key: 'avatar', enabled: false },
        { key: 'tts', rollout: 25 },
      ],
      note: 'Ramp tts, pause avatar',
    });
    expect(bulk[0]!.headers['x-admin-actor']).to.equal('alice');
    expect(status(app)).to.contain('Applied 2 flag changes');
    expect(app.shadowRoot!.querySelector('[role="status"]')!.getAttribute('aria-live')).to.equal('polite');
    await waitUntil(
      () => !/\d+ flags? staged/.test(text(flags.shadowRoot!.querySelector('#flags-heading + p'))),
      'still staged',
    );
    expect(inFlag<HTMLInputElement>(flags, 'tts', 'input[type="number"]').value).to.equal('25');
  });

  it('shows the API validation errors beside the fields they concern', async () => {
    const app = await mount();
    await signIn(app);
    const flags = await flagsLoaded(app);
    type(inFlag<HTMLInputElement>(flags, 'voice.text', 'input[id$="-tenants"]'), 'demo, Bad-Tenant');
    type(inFlag<HTMLInputElement>(flags, 'avatar', 'input[type="number"]'), '12.345');
    type(q<HTMLTextAreaElement>(flags, '#bulk-note'), 'Try it');
    await (flags as HTMLElement & { updateComplete: Promise<boolean> }).updateComplete;
    q<HTMLButtonElement>(flags, 'form button[type="submit"]').click();
    await waitUntil(() => flags.shadowRoot!.querySelector('.error'), 'no field error shown');
    expect(api.sent('POST', '/admin/flags/bulk')).to.have.length(1);
    const tenants = inFlag<HTMLInputElement>(flags, 'voice.text', 'input[id$="-tenants"]');
    const tenantsError = inFlag(flags, 'voice.text', '[id$="-tenants-error"]');
    expect(text(tenantsError)).to.equal('must be a tenant id');
    expect(tenants.getAttribute('aria-invalid')).to.equal('true');
    expect(tenants.getAttribute('aria-describedby')).to.contain(tenantsError.id);
    expect(text(inFlag(flags, 'avatar', '[id$="-rollout-error"]'))).to.equal('must have at most two decimals');
    expect(text(q(flags, '[role="alert"]'))).to.contain('Nothing was applied');
    expect(deepActive()?.getAttribute('aria-invalid'), 'focus moves to the first problem').to.equal('true');
    await expect(app).to.be.accessible();

    // Editing the field clears its error; the other stays.
    type(tenants, 'demo');
    await (flags as HTMLElement & { updateComplete: Promise<boolean> }).updateComplete;
    expect(flagSet(flags, 'voice.text').querySelector('[id$="-tenants-error"]')).to.equal(null);
    expect(flagSet(flags, 'avatar').querySelector('[id$="-rollout-error"]')).to.exist;
  });

  it('creates a flag with a note', async () => {
    const app = await mount();
    await signIn(app);
    const flags = await flagsLoaded(app);
    type(q<HTMLInputElement>(flags, '#create-key'), 'Voice Captions');
    type(q<HTMLInputElement>(flags, '#create-description'), 'Live captions');
    type(q<HTMLInputElement>(flags, '#create-note'), 'New feature');
    q<HTMLButtonElement>(flags, '#create-heading ~ button[type="submit"]').click();
    await waitUntil(() => flags.shadowRoot!.querySelector('#create-key-error'), 'a bad key was not flagged');
    expect(text(q(flags, '#create-key-error'))).to.contain('lower-case');

    type(q<HTMLInputElement>(flags, '#create-key'), 'voice.captions');
    q<HTMLButtonElement>(flags, '#create-heading ~ button[type="submit"]').click();
    await waitUntil(
      () => flags.shadowRoot!.querySelector('fieldset[data-flag="voice.captions"]'),
      'the new flag is not listed',
    );
    expect(api.sent('POST', '/admin/flags/bulk').at(-1)!.body).to.deep.equal({
      changes: [{ key: 'voice.captions', create: true, description: 'Live captions' }],
      note: 'New feature',
    });
  });

  it('history: shows diffs of changed fields only, pages with Load more, filters, and rolls back after confirming', async () => {
    for (let i = 1; i <= 21; i++) api.seedWrite([{ key: 'tts', rollout: i }], `step ${i}`);
    const [ramp] = api.seedWrite([{ key: 'avatar', rollout: 75, tenants: ['demo'] }], 'Ramp avatar', 'bob');
    const app = await mount();
    await signIn(app);
    await flagsLoaded(app);
    const history = await openTab(app, 'history', 'vb-admin-history', `li[data-entry="${ramp!.id}"]`);
    const entry = q(history, `li[data-entry="${ramp!.id}"]`);
    expect(text(entry)).to.contain('bob').and.to.contain('Ramp avatar');
    expect(qa(history, `li[data-entry="${ramp!.id}"] tbody tr`).map((tr) => tr.dataset.field)).to.deep.equal([
      'rollout',
      'tenants',
    ]);
    expect(text(entry.querySelector('tr[data-field="rollout"]'))).to.equal('rollout 50% → 75%');
    expect(text(entry.querySelector('tr[data-field="tenants"]'))).to.equal('tenants (none) → demo');
    await expect(app).to.be.accessible();

    expect(qa(history, 'li[data-entry]')).to.have.length(20);
    [...history.shadowRoot!.querySelectorAll('button')].find((b) => text(b) === 'Load more')!.click();
    await waitUntil(() => qa(history, 'li[data-entry]').length === 22, 'Load more did not append the next page');
    expect(api.sent('GET', '/admin/flags/history').at(-1)!.search).to.match(/cursor=\d+/);

    type(q<HTMLInputElement>(history, '#history-key'), 'avatar');
    q<HTMLButtonElement>(history, 'form[role="search"] button').click();
    await waitUntil(() => qa(history, 'li[data-entry]').length === 1, 'the filter did not apply');
    expect(api.sent('GET', '/admin/flags/history').at(-1)!.search).to.contain('key=avatar');

    q<HTMLButtonElement>(history, `[data-rollback="${ramp!.id}"]`).click();
    await waitUntil(() => history.shadowRoot!.querySelector('#rollback-note'), 'no confirmation step');
    expect(api.sent('POST', '/admin/flags/rollback'), 'nothing before confirming').to.have.length(0);
    await expect(app).to.be.accessible();
    [...history.shadowRoot!.querySelectorAll('button')].find((b) => text(b) === 'Confirm roll back')!.click();
    await waitUntil(() => api.sent('POST', '/admin/flags/rollback').length === 1);
    expect(api.sent('POST', '/admin/flags/rollback')[0]!.body).to.deep.equal({ historyId: ramp!.id });
    await waitUntil(() => status(app).includes(`Rolled back #${ramp!.id}`), 'the rollback was not announced');
    expect(api.flags.find((f) => f.key === 'avatar')).to.include({ rollout: 50 });
    await waitUntil(() =>
      text(history.shadowRoot!.querySelector('li[data-entry]')).includes(`rollback of #${ramp!.id}`),
    );

    // The flags tab shows the rolled-back state when visited again.
    q<HTMLButtonElement>(app, '#tab-flags').click();
    const flags = panel(app, 'vb-admin-flags')!;
    await waitUntil(() => inFlag<HTMLInputElement>(flags, 'avatar', 'input[type="number"]').value === '50');
  });

  it('tenants: sends only the changed fields and shows problems per field', async () => {
    const app = await mount();
    await signIn(app);
    await flagsLoaded(app);
    const tenants = await openTab(app, 'tenants', 'vb-admin-tenants', 'nav button');
    [...tenants.shadowRoot!.querySelectorAll<HTMLButtonElement>('nav button')]
      .find((b) => text(b).includes('acme'))!
      .click();
    await waitUntil(() => tenants.shadowRoot!.querySelector('#t-origins'));
    await expect(app).to.be.accessible();

    type(q<HTMLTextAreaElement>(tenants, '#t-origins'), 'https://acme.example.com\nftp://bad.example.com/path');
    type(q<HTMLInputElement>(tenants, '#t-limit-requestsPerMinute'), '30');
    type(q<HTMLInputElement>(tenants, '#t-branding-primaryColor'), '#ff0000');
    q<HTMLButtonElement>(tenants, 'form button[type="submit"]').click();
    await waitUntil(() => tenants.shadowRoot!.querySelector('#err-allowedOrigins'), 'no origin error');
    expect(text(q(tenants, '#err-allowedOrigins'))).to.match(/^Line 2: must be scheme/);
    expect(q(tenants, '#t-origins').getAttribute('aria-invalid')).to.equal('true');
    await expect(app).to.be.accessible();

    type(q<HTMLTextAreaElement>(tenants, '#t-origins'), 'https://acme.example.com\nhttps://*.acme.example.com');
    q<HTMLButtonElement>(tenants, 'form button[type="submit"]').click();
    await waitUntil(() => status(app).includes('Saved acme'), 'no save result announced');
    const puts = api.sent('PUT', '/admin/tenants/acme');
    expect(puts).to.have.length(2);
    expect(puts[1]!.body).to.deep.equal({
      allowedOrigins: ['https://acme.example.com', 'https://*.acme.example.com'],
      limits: { requestsPerMinute: 30 },
      branding: { primaryColor: '#ff0000' },
    });
    expect(q<HTMLInputElement>(tenants, '#t-branding-primaryColor-hex').value).to.equal('#ff0000');

    // Unchanged form: nothing is sent.
    q<HTMLButtonElement>(tenants, 'form button[type="submit"]').click();
    await waitUntil(() => status(app).includes('Nothing to save'));
    expect(api.sent('PUT', '/admin/tenants/acme')).to.have.length(2);
  });

  it('usage: bars per tenant with used/limit written out; a month picker', async () => {
    const app = await mount();
    await signIn(app);
    await flagsLoaded(app);
    const usage = await openTab(app, 'usage', 'vb-admin-usage', 'section[data-tenant="demo"]');
    const demo = q(usage, 'section[data-tenant="demo"]');
    expect(text(demo.querySelector('[data-metric="voiceSessions"]'))).to.contain('Voice sessions: 3 of 100 (3%)');
    expect(text(demo.querySelector('[data-metric="avatarSessions"]')))
      .to.contain('10 of 10 (100%)')
      .and.to.contain('limit reached');
    expect(text(demo.querySelector('[data-metric="generations"]'))).to.contain('0 of 50 (0%)');
    expect(text(demo.querySelector('[data-metric="avatarMinutes"]'))).to.equal('Avatar minutes: 42');
    expect(text(demo.querySelector('[data-metric="avatarCostUsd"]'))).to.contain('4.20');
    expect(demo.querySelector('[data-metric="voiceSessions"] svg rect + rect')!.getAttribute('width')).to.equal('3.00');
    await expect(app).to.be.accessible();

    type(q<HTMLInputElement>(usage, '#usage-month'), '2026-10', 'change');
    await waitUntil(
      () => api.sent('GET', '/admin/usage').some((r) => r.search === '?month=2026-10'),
      'the month was not requested',
    );
  });

  it('usage: a newer month aborts the older load, only the newer answer shows; a failed refresh keeps it', async () => {
    const app = await mount();
    await signIn(app);
    await flagsLoaded(app);
    const usage = await openTab(app, 'usage', 'vb-admin-usage', 'section[data-tenant="demo"]');
    const voice = () => text(usage.shadowRoot!.querySelector('[data-tenant="demo"] [data-metric="voiceSessions"]'));
    const busy = () => q(usage, '[aria-busy]').getAttribute('aria-busy');

    api.holding = true;
    api.usage.demo!.voiceSessions = { used: 7, limit: 100 };
    type(q<HTMLInputElement>(usage, '#usage-month'), '2026-09', 'change');
    await waitUntil(() => api.held.length === 1, 'the first month was not requested');
    api.usage.demo!.voiceSessions = { used: 9, limit: 100 };
    type(q<HTMLInputElement>(usage, '#usage-month'), '2026-10', 'change');
    await waitUntil(() => api.held.length === 2, 'the second month was not requested');
    const [older, newer] = api.sent('GET', '/admin/usage').slice(-2);
    expect(older!.search).to.equal('?month=2026-09');
    expect(older!.signal.aborted, 'the older load is aborted').to.equal(true);
    expect(newer!.signal.aborted).to.equal(false);
    expect(busy()).to.equal('true');
    expect(voice(), 'the old report stays while loading').to.contain('3 of 100');
    api.held[1]!();
    api.held[0]!();
    await waitUntil(() => busy() === 'false', 'the load never settled');
    expect(voice()).to.contain('9 of 100');
    expect(usage.shadowRoot!.querySelector('[role="alert"]'), 'an aborted load is no error').to.equal(null);
    api.holding = false;

    api.offline = true;
    [...usage.shadowRoot!.querySelectorAll('button')].find((b) => text(b) === 'Refresh')!.click();
    await waitUntil(() => usage.shadowRoot!.querySelector('[role="alert"]'), 'no error banner');
    const offline = 'The server could not be reached. Check your connection and try again.';
    expect(text(q(usage, '[role="alert"]'))).to.equal(`Could not load the usage: ${offline}`);
    expect(voice(), 'a failed refresh keeps what was shown').to.contain('9 of 100');
    expect(busy()).to.equal('false');
    await expect(app).to.be.accessible();
    api.offline = false;
    [...usage.shadowRoot!.querySelectorAll('button')].find((b) => text(b) === 'Refresh')!.click();
    await waitUntil(() => !usage.shadowRoot!.querySelector('[role="alert"]'), 'a good refresh kept the banner');
  });

  it("signing out mid-load aborts the panels' requests", async () => {
    const app = await mount();
    await signIn(app);
    await flagsLoaded(app);
    api.holding = true;
    q<HTMLButtonElement>(app, '#tab-history').click();
    await waitUntil(() => api.sent('GET', '/admin/flags/history').length === 1, 'history was not requested');
    q<HTMLButtonElement>(app, 'header button').click();
    await app.updateComplete;
    expect(api.sent('GET', '/admin/flags/history')[0]!.signal.aborted).to.equal(true);
    api.held.forEach((release) => release());
  });

  it('health: shows each provider status, timings and sandbox state; refresh checks again', async () => {
    const app = await mount();
    await signIn(app);
    await flagsLoaded(app);
    const health = await openTab(app, 'health', 'vb-admin-health', 'section[data-provider="tts"]');
    expect(text(q(health, '[data-provider="tts"] [data-status]'))).to.equal('OK');
    expect(text(q(health, '[data-provider="tts"]')))
      .to.contain('412 ms')
      .and.to.contain('20.0 KB');
    expect(text(q(health, '[data-provider="openai"] [data-status]'))).to.equal('Sandbox');
    expect(text(q(health, '[data-provider="openai"]'))).to.contain('No OPENAI_API_KEY');
    await expect(app).to.be.accessible();

    api.ping = {
      ...api.ping,
      status: 'degraded',
      tts: {
        status: 'error',
        provider: 'elevenlabs',
        code: 'provider_auth_failed',
        message: 'ElevenLabs refused our key',
      },
    };
    [...health.shadowRoot!.querySelectorAll('button')].find((b) => text(b) === 'Refresh')!.click();
    await waitUntil(() => text(health.shadowRoot!.querySelector('[data-provider="tts"] [data-status]')) === 'Error');
    expect(text(q(health, '[data-provider="tts"]'))).to.contain('provider_auth_failed');
    expect(text(q(health, '[data-overall]'))).to.equal('Degraded');
    expect(api.sent('GET', '/v1/voice/ping')).to.have.length(2);
    await waitUntil(() => status(app).includes('Provider health checked: Degraded'), 'the refresh was not announced');

    api.offline = true;
    [...health.shadowRoot!.querySelectorAll('button')].find((b) => text(b) === 'Refresh')!.click();
    await waitUntil(() => status(app).startsWith('The health check failed'), 'the failed check was not announced');
    expect(text(q(health, '[role="alert"]'))).to.contain('The health check failed: The server could not be reached');
    expect(text(q(health, '[data-provider="tts"] [data-status]')), 'the last report stays').to.equal('Error');
  });

  it('works from the keyboard alone: sign in, switch tabs, stage, apply, roll back', async () => {
    const [seeded] = api.seedWrite([{ key: 'tts', enabled: true }], 'Turn on tts');
    const app = await mount();
    await tabTo((el) => el.id === 'token', 'the token field');
    await sendKeys({ type: ADMIN_TOKEN });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ type: 'kim' });
    await sendKeys({ press: 'Enter' });
    const flags = await flagsLoaded(app);
    await waitUntil(() => deepActive()?.id === 'tab-flags', 'focus did not move to the sections after sign-in');

    await sendKeys({ press: 'ArrowRight' });
    await waitUntil(() => deepActive()?.id === 'tab-history');
    expect(q(app, '#tab-history').getAttribute('aria-selected')).to.equal('true');
    expect(q(app, '#panel-flags').hidden).to.equal(true);
    await sendKeys({ press: 'End' });
    await waitUntil(() => deepActive()?.id === 'tab-alerts');
    await sendKeys({ press: 'Home' });
    await waitUntil(() => deepActive()?.id === 'tab-flags');

    await tabTo((el) => el.id === inFlag(flags, 'avatar', 'input[id$="-enabled"]').id, 'the avatar switch');
    await sendKeys({ press: 'Space' });
    await tabTo((el) => el.id === 'bulk-note', 'the note');
    await sendKeys({ type: 'Keyboard change' });
    await tabTo((el) => text(el).startsWith('Apply'), 'the apply button');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => api.sent('POST', '/admin/flags/bulk').length === 1, 'Enter did not apply');
    expect(api.sent('POST', '/admin/flags/bulk')[0]!.body).to.deep.equal({
      changes: [{ key: 'avatar', enabled: false }],
      note: 'Keyboard change',
    });
    expect(api.sent('POST', '/admin/flags/bulk')[0]!.headers['x-admin-actor']).to.equal('kim');

    q<HTMLButtonElement>(app, '#tab-flags').focus();
    await sendKeys({ press: 'ArrowRight' });
    const history = panel(app, 'vb-admin-history')!;
    await waitUntil(
      () => history?.shadowRoot?.querySelector(`[data-rollback="${seeded!.id}"]`),
      'history did not load',
    );
    await tabTo((el) => el.getAttribute('data-rollback') === String(seeded!.id), 'the roll back button');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => deepActive()?.id === 'rollback-note', 'focus did not move into the confirmation');
    await sendKeys({ press: 'Escape' });
    await waitUntil(
      () => deepActive()?.getAttribute('data-rollback') === String(seeded!.id),
      'Escape did not return focus',
    );
    expect(api.sent('POST', '/admin/flags/rollback')).to.have.length(0);
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => deepActive()?.id === 'rollback-note');
    await tabTo((el) => text(el) === 'Confirm roll back', 'the confirm button');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => api.sent('POST', '/admin/flags/rollback').length === 1, 'Enter did not confirm');
    expect(api.sent('POST', '/admin/flags/rollback')[0]!.body).to.deep.equal({ historyId: seeded!.id });
  });
});
