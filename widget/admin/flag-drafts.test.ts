import { expect } from '@open-wc/testing';
import { AdminApiError } from './api.ts';
import { flag } from '../../test/fixtures/flags.ts';
import * as d from './flag-drafts.ts';

const FLAGS = [flag('avatar', { rollout: 50 }), flag('tts', { enabled: false, rollout: 0 }), flag('voice.text')];
const start = () => d.loaded(d.emptyDrafts, FLAGS);
const invalid = (details: unknown) => new AdminApiError(400, 'invalid_request', 'Invalid', 'req-1', details);

describe('flag drafts', () => {
  it('stages only fields that differ from the flag as loaded, and only flags with such a field', () => {
    let s = start();
    s = d.edit(s, 'avatar', { enabled: false }, 'enabled');
    s = d.editRollout(s, 'tts', 25);
    s = d.edit(s, 'voice.text', { tenantsText: '' }, 'tenants');
    s = d.edit(s, 'voice.text', { enabled: true }, 'enabled');
    expect(d.changes(s)).to.deep.equal([
      { key: 'avatar', enabled: false },
      { key: 'tts', rollout: 25 },
    ]);
    expect(d.describeChange(s, { key: 'tts', rollout: 25 })).to.equal('rollout 0% → 25%');
  });

  it('reads the tenant list as typed (commas or spaces) and compares prerequisites as a set', () => {
    const a = flag('a', { tenants: ['x', 'y'], prerequisites: ['b', 'c'] });
    let s = d.loaded(d.emptyDrafts, [a, flag('b'), flag('c')]);
    s = d.edit(s, 'a', { tenantsText: ' x,  y ' }, 'tenants');
    s = d.edit(s, 'a', { prerequisites: ['c', 'b'] }, 'prerequisites');
    expect(d.changes(s)).to.deep.equal([]);
    s = d.edit(s, 'a', { tenantsText: 'y x demo' }, 'tenants');
    s = d.togglePrerequisite(s, s.flags[0]!, 'b', false);
    expect(d.changes(s)).to.deep.equal([{ key: 'a', tenants: ['y', 'x', 'demo'], prerequisites: ['c'] }]);
    expect(d.shown(s, s.flags[0]!)).to.deep.include({ tenantsText: 'y x demo', prerequisites: ['c'] });
  });

  it('refuses a rollout that is not a number without staging it; a later edit of the field clears that', () => {
    let s = d.editRollout(start(), 'avatar', Number.NaN);
    expect(s.errors).to.deep.equal({ 'avatar.rollout': 'Enter a number from 0 to 100' });
    expect(d.changes(s)).to.deep.equal([]);
    s = d.editRollout(s, 'avatar', 60);
    expect(s.errors).to.deep.equal({});
    expect(d.changes(s)).to.deep.equal([{ key: 'avatar', rollout: 60 }]);
  });

  it('needs a note before a bulk change is sent, and nothing staged sends nothing and flags nothing', () => {
    expect(d.submitChanges(start())).to.deep.equal({ send: false, state: start(), invalid: false });
    let s = d.edit(start(), 'avatar', { enabled: false }, 'enabled');
    const refused = d.submitChanges(s);
    expect(refused.send).to.equal(false);
    expect(refused.state.errors.note).to.match(/note is required/);
    s = d.setNote(refused.state, '  Pause avatar ');
    expect(s.errors).to.deep.equal({});
    const ok = d.submitChanges({ ...s, formError: 'old' });
    expect(ok).to.deep.include({ send: true, changes: [{ key: 'avatar', enabled: false }], note: 'Pause avatar' });
    expect(ok.state.formError).to.equal('');
  });

  it('clears every draft, the note and the problems when the bulk change is applied', () => {
    let s = d.setNote(d.edit(start(), 'avatar', { enabled: false }, 'enabled'), 'why');
    s = { ...s, errors: { 'tts.rollout': 'old' } };
    const after = FLAGS.map((f) => (f.key === 'avatar' ? { ...f, enabled: false } : f));
    s = d.applied(s, { flags: after, history: [] });
    expect(s).to.deep.include({ flags: after, drafts: {}, note: '', errors: {} });
    expect(d.changes(s)).to.deep.equal([]);
  });

  it('puts the API problems beside the fields of the change they name, and keeps the drafts', () => {
    let s = d.edit(start(), 'voice.text', { tenantsText: 'demo, Bad-Tenant' }, 'tenants');
    s = d.editRollout(s, 'avatar', 12.345);
    const sent = d.changes(s);
    s = d.applyFailed(
      s,
      invalid([
        { path: 'changes.0.rollout', message: 'must have at most two decimals' },
        { path: 'changes.1.tenants.1', message: 'must be a tenant id' },
        { path: 'changes.1.tenants', message: 'second problem of the same field' },
        { path: 'note', message: 'must say why' },
      ]),
      sent,
    );
    expect(s.errors).to.deep.equal({
      'avatar.rollout': 'must have at most two decimals',
      'voice.text.tenants': 'must be a tenant id',
      note: 'must say why',
    });
    expect(s.formError).to.equal('Nothing was applied. Fix the fields marked below.');
    expect(d.changes(s)).to.deep.equal(sent);

    // An edit clears its own field's problem only.
    s = d.edit(s, 'voice.text', { tenantsText: 'demo' }, 'tenants');
    expect(Object.keys(s.errors)).to.deep.equal(['avatar.rollout', 'note']);
  });

  it('names a set problem and a cycle on the flags, and what names no field in the banner', () => {
    const s = d.togglePrerequisite(start(), FLAGS[0]!, 'tts', true);
    const sent = d.changes(s);
    const message = 'Prerequisites would form a cycle: avatar -> tts -> avatar';
    const cycle = new AdminApiError(400, 'prerequisite_cycle', message, null, { cycle: ['avatar', 'tts', 'avatar'] });
    expect(d.applyFailed(s, cycle, sent).errors).to.deep.equal({ 'avatar.prerequisites': cycle.message });
    const set = invalid([{ path: 'tts.prerequisites', message: 'unknown flag "gone"' }]);
    expect(d.applyFailed(s, set, sent).errors).to.deep.equal({ 'tts.prerequisites': 'unknown flag "gone"' });
    const other = d.applyFailed(s, invalid([{ path: 'changes', message: 'Invalid length' }]), sent);
    expect(other.errors).to.deep.equal({});
    expect(other.formError).to.equal('Nothing was applied. changes: Invalid length');
    const network = d.applyFailed(s, new AdminApiError(0, 'network_error', 'The server could not be reached.'), sent);
    expect(network.formError).to.equal('Nothing was applied. The server could not be reached.');
  });

  it('checks the create form here first, then sends one change with create: true', () => {
    let s = d.submitCreate(start()).state;
    expect(s.errors).to.have.keys('create.key', 'create.note');
    s = d.setCreate(s, 'key', ' voice.captions ');
    s = d.setCreate(s, 'description', ' Live captions ');
    s = d.setCreate(s, 'note', 'New feature');
    expect(s.errors).to.deep.equal({});
    const submit = d.submitCreate(s);
    expect(submit).to.deep.include({
      send: true,
      change: { key: 'voice.captions', create: true, description: 'Live captions' },
      note: 'New feature',
    });
  });

  it('puts a refused create on its own form, keeps the other problems, and empties the form once created', () => {
    let s = d.setCreate(d.setCreate(start(), 'key', 'Voice Captions'), 'note', 'n');
    s = { ...s, errors: { 'avatar.rollout': 'kept' }, formError: 'old' };
    const change = { key: 'Voice Captions', create: true, description: '' };
    const badKey = invalid([{ path: 'changes.0.key', message: 'must be lower-case words' }]);
    const refused = d.createFailed(s, badKey, change);
    expect(refused.errors).to.deep.equal({ 'avatar.rollout': 'kept', 'create.key': 'must be lower-case words' });
    expect(refused.formError).to.equal('');
    const conflict = d.createFailed(s, new AdminApiError(409, 'conflict', 'Try again', 'req-9'), change);
    expect(conflict.errors['create.key']).to.equal('Try again (request req-9)');

    const done = d.created(refused, { flags: [...FLAGS, flag('voice.captions')], history: [] });
    expect(done.create).to.deep.equal({ key: '', description: '', note: '' });
    expect(done.errors).to.deep.equal({ 'avatar.rollout': 'kept' });
    expect(done.flags.map((f) => f.key)).to.include('voice.captions');
  });

  it('discards one flag or all; a load replaces the flags and clears the banner, a failed one fills it', () => {
    let s = d.edit(d.edit(start(), 'avatar', { enabled: false }, 'enabled'), 'tts', { enabled: true }, 'enabled');
    s = { ...s, errors: { 'avatar.enabled': 'x', 'tts.enabled': 'y' } };
    s = d.discard(s, 'avatar');
    expect(Object.keys(s.drafts)).to.deep.equal(['tts']);
    expect(s.errors).to.deep.equal({ 'tts.enabled': 'y' });
    expect(d.discardAll({ ...s, formError: 'z' })).to.deep.include({ drafts: {}, errors: {}, formError: '' });
    const failed = d.loadFailed(s, 'Could not load the flags: down');
    expect(failed.formError).to.equal('Could not load the flags: down');
    expect(d.loaded(failed, FLAGS)).to.deep.include({ formError: '', drafts: s.drafts });
  });

  it('formats values as the summaries and history read them', () => {
    expect(d.formatFlagValue('enabled', true)).to.equal('on');
    expect(d.formatFlagValue('rollout', 12.5)).to.equal('12.5%');
    expect(d.formatFlagValue('tenants', [])).to.equal('(none)');
    expect(d.formatFlagValue('tenants', ['a', 'b'])).to.equal('a, b');
    expect(d.formatFlagValue('description', undefined)).to.equal('(none)');
    expect(d.parseList(' a, b  c,,')).to.deep.equal(['a', 'b', 'c']);
  });
});
