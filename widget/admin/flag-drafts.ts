// The flags panel's editing as pure functions over one value: drafts per flag, the problems per field, the bulk
// change they make, the create form. The panel renders the value and calls these; flag-drafts.test.ts checks them.
import { AdminApiError, describeError, type FlagChange, type FlagConfig, type FlagWriteResult } from './api.ts';

export type EditableField = 'enabled' | 'rollout' | 'tenants' | 'prerequisites';

/** Local edits of one flag, not yet sent. The tenant list keeps the text as typed; it is parsed when staged. */
export interface Draft {
  enabled?: boolean;
  rollout?: number;
  tenantsText?: string;
  prerequisites?: string[];
}

export interface CreateForm {
  key: string;
  description: string;
  note: string;
}

export interface FlagDrafts {
  /** The flags as the server last gave them: a load, or the answer to a write. */
  flags: FlagConfig[];
  drafts: Record<string, Draft>;
  /** The bulk change's note. */
  note: string;
  create: CreateForm;
  /** Problems keyed `<flag>.<field>`, `note`, or `create.<field>`. */
  errors: Record<string, string>;
  /** The banner: a failed load, or what a refused change could not pin on a field. */
  formError: string;
}

export const emptyDrafts: FlagDrafts = {
  flags: [],
  drafts: {},
  note: '',
  create: { key: '', description: '', note: '' },
  errors: {},
  formError: '',
};

/** How a flag field reads in summaries and history diffs. */
export function formatFlagValue(field: string, value: unknown): string {
  if (value === undefined || value === null) return '(none)';
  if (Array.isArray(value)) return value.length ? value.join(', ') : '(none)';
  if (typeof value === 'boolean') return field === 'enabled' ? (value ? 'on' : 'off') : String(value);
  if (field === 'rollout' && typeof value === 'number') return `${value}%`;
  return typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value);
}

export const parseList = (text: string) => text.split(/[\s,]+/).filter(Boolean);
const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));
const without = (errors: Record<string, string>, drop: (key: string) => boolean) =>
  Object.fromEntries(Object.entries(errors).filter(([k]) => !drop(k)));

export const loaded = (s: FlagDrafts, flags: FlagConfig[]): FlagDrafts => ({ ...s, flags, formError: '' });
export const loadFailed = (s: FlagDrafts, message: string): FlagDrafts => ({ ...s, formError: message });

/** A flag as the form shows it: the draft where there is one, else the flag as loaded. */
export function shown(s: FlagDrafts, flag: FlagConfig) {
  const d = s.drafts[flag.key] ?? {};
  return {
    enabled: d.enabled ?? flag.enabled,
    rollout: d.rollout ?? flag.rollout,
    tenantsText: d.tenantsText ?? flag.tenants.join(', '),
    prerequisites: d.prerequisites ?? flag.prerequisites,
  };
}

/** An edit of one field: staged in the flag's draft, and the field's problem goes (it may be fixed now). */
export function edit(s: FlagDrafts, key: string, patch: Draft, field: EditableField): FlagDrafts {
  return {
    ...s,
    drafts: { ...s.drafts, [key]: { ...s.drafts[key], ...patch } },
    errors: without(s.errors, (k) => k === `${key}.${field}`),
  };
}

/** The rollout as the number input reads it: NaN (empty, or not a number) is a problem, not an edit. */
export function editRollout(s: FlagDrafts, key: string, value: number): FlagDrafts {
  if (Number.isNaN(value)) return { ...s, errors: { ...s.errors, [`${key}.rollout`]: 'Enter a number from 0 to 100' } };
  return edit(s, key, { rollout: value }, 'rollout');
}

export function togglePrerequisite(s: FlagDrafts, flag: FlagConfig, other: string, on: boolean): FlagDrafts {
  const current = shown(s, flag).prerequisites;
  const next = on ? [...current, other] : current.filter((k) => k !== other);
  return edit(s, flag.key, { prerequisites: next }, 'prerequisites');
}

export function discard(s: FlagDrafts, key: string): FlagDrafts {
  const { [key]: _gone, ...drafts } = s.drafts;
  return { ...s, drafts, errors: without(s.errors, (k) => k.startsWith(`${key}.`)) };
}

export const discardAll = (s: FlagDrafts): FlagDrafts => ({ ...s, drafts: {}, errors: {}, formError: '' });

export const setNote = (s: FlagDrafts, note: string): FlagDrafts => ({
  ...s,
  note,
  errors: without(s.errors, (k) => k === 'note'),
});

export function setCreate(s: FlagDrafts, field: keyof CreateForm, value: string): FlagDrafts {
  return { ...s, create: { ...s.create, [field]: value }, errors: without(s.errors, (k) => k === `create.${field}`) };
}

/** The staged edits as bulk changes: only fields that differ from the flag as loaded, only flags with such a field. */
export function changes(s: FlagDrafts): FlagChange[] {
  const out: FlagChange[] = [];
  for (const flag of s.flags) {
    const d = s.drafts[flag.key];
    if (!d) continue;
    const ch: FlagChange = { key: flag.key };
    if (d.enabled !== undefined && d.enabled !== flag.enabled) ch.enabled = d.enabled;
    if (d.rollout !== undefined && d.rollout !== flag.rollout) ch.rollout = d.rollout;
    const tenants = d.tenantsText === undefined ? undefined : parseList(d.tenantsText);
    if (tenants && !sameList(tenants, flag.tenants)) ch.tenants = tenants;
    const prerequisites = d.prerequisites;
    if (prerequisites && !sameSet(prerequisites, flag.prerequisites)) ch.prerequisites = prerequisites;
    if (Object.keys(ch).length > 1) out.push(ch);
  }
  return out;
}

/** One staged change in words: `rollout 0% → 25%; enabled on → off`. */
export function describeChange(s: FlagDrafts, ch: FlagChange): string {
  const before = s.flags.find((f) => f.key === ch.key);
  return (Object.keys(ch) as Array<keyof FlagChange>)
    .filter((k) => k !== 'key')
    .map((k) => `${k} ${formatFlagValue(k, before?.[k as EditableField])} → ${formatFlagValue(k, ch[k])}`)
    .join('; ');
}

/** A write to send, or not: `invalid` when the state now names a problem to focus (nothing to send is none). */
export type Submit<T> =
  { send: false; state: FlagDrafts; invalid: boolean } | ({ send: true; state: FlagDrafts; note: string } & T);

/** The staged changes as one bulk request; a missing note is refused here, before anything is sent. */
export function submitChanges(s: FlagDrafts): Submit<{ changes: FlagChange[] }> {
  const staged = changes(s);
  if (staged.length === 0) return { send: false, state: s, invalid: false };
  if (!s.note.trim()) {
    const note = 'A note is required: say why you are making this change';
    return { send: false, state: { ...s, errors: { ...s.errors, note } }, invalid: true };
  }
  return { send: true, state: { ...s, formError: '' }, changes: staged, note: s.note.trim() };
}

/** The server's flags after the bulk change; every draft it carried is gone. */
export const applied = (s: FlagDrafts, result: FlagWriteResult): FlagDrafts => ({
  ...s,
  flags: result.flags,
  drafts: {},
  note: '',
  errors: {},
});

/** A refused bulk change: its problems beside the fields they name, the rest in the banner; the drafts stay. */
export function applyFailed(s: FlagDrafts, err: unknown, sent: FlagChange[]): FlagDrafts {
  const { errors, general } = problems(s.flags, err, sent, (field, key) => `${key}.${field}`, 'note');
  const onFields = Object.keys(errors).length > 0 && general.length === 0;
  const detail = general.length ? general.join('; ') : describeError(err);
  const formError = onFields ? 'Nothing was applied. Fix the fields marked below.' : `Nothing was applied. ${detail}`;
  return { ...s, errors, formError };
}

/** The create form as one bulk request of one change; an empty key or note is refused here. */
export function submitCreate(s: FlagDrafts): Submit<{ change: FlagChange }> {
  const key = s.create.key.trim();
  const local: Record<string, string> = {};
  if (!key) local['create.key'] = 'Enter a key, e.g. voice.captions';
  if (!s.create.note.trim()) local['create.note'] = 'A note is required: say why you are adding this flag';
  if (Object.keys(local).length) {
    return { send: false, state: { ...s, errors: { ...s.errors, ...local } }, invalid: true };
  }
  const change: FlagChange = { key, create: true, description: s.create.description.trim() };
  return { send: true, state: s, change, note: s.create.note.trim() };
}

/** The server's flags with the new one; the form empties, the staged edits of other flags stay. */
export const created = (s: FlagDrafts, result: FlagWriteResult): FlagDrafts => ({
  ...s,
  flags: result.flags,
  create: { key: '', description: '', note: '' },
  errors: without(s.errors, (k) => k.startsWith('create.')),
  formError: '',
});

/** A refused create: every problem lands on the create form (on its key when it names no field of it). */
export function createFailed(s: FlagDrafts, err: unknown, change: FlagChange): FlagDrafts {
  const fieldKey = (field: string) => `create.${field === 'description' ? 'description' : 'key'}`;
  const { errors } = problems(s.flags, err, [change], fieldKey, 'create.note');
  if (!Object.keys(errors).some((k) => k.startsWith('create.'))) errors['create.key'] = describeError(err);
  return { ...s, errors: { ...without(s.errors, (k) => k.startsWith('create.')), ...errors }, formError: '' };
}

const FIELDS = ['enabled', 'rollout', 'tenants', 'prerequisites', 'description'];

/**
 * Maps the API's `details` onto fields: `changes.<i>.<field>` onto that change's flag, `note` onto the note,
 * `<flag>.prerequisites` (the whole set's check) onto that flag, a cycle onto the flags whose prerequisites were sent.
 * What names no field is `general`.
 */
function problems(
  flags: FlagConfig[],
  err: unknown,
  sent: FlagChange[],
  fieldKey: (field: string, flagKey: string) => string,
  noteKey: string,
): { errors: Record<string, string>; general: string[] } {
  const errors: Record<string, string> = {};
  const general: string[] = [];
  if (err instanceof AdminApiError && err.code === 'prerequisite_cycle') {
    const cycle = (err.details as { cycle?: unknown } | undefined)?.cycle;
    for (const key of Array.isArray(cycle) ? cycle : []) {
      const sentPrerequisites = sent.some((ch) => ch.key === key && ch.prerequisites);
      if (sentPrerequisites) errors[fieldKey('prerequisites', String(key))] = err.message;
    }
  }
  for (const p of err instanceof AdminApiError ? err.problems : []) {
    const m = /^changes\.(\d+)(?:\.([a-z]+))?/i.exec(p.path);
    const change = m ? sent[Number(m[1])] : undefined;
    const setKey = p.path.endsWith('.prerequisites') ? p.path.slice(0, -'.prerequisites'.length) : null;
    if (change) {
      const field = m![2] && FIELDS.includes(m![2]) ? m![2] : 'key';
      errors[fieldKey(field, change.key)] ??= p.message;
    } else if (p.path === 'note') {
      errors[noteKey] = p.message;
    } else if (setKey && flags.some((f) => f.key === setKey)) {
      errors[fieldKey('prerequisites', setKey)] ??= p.message;
    } else {
      general.push(`${p.path}: ${p.message}`);
    }
  }
  return { errors, general };
}
