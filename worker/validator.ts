// Hono's validator middleware (@hono/standard-validator, with valibot's Standard Schema) in the Worker's one error
// shape. A route declares its input in its chain and `c.req.valid(target)` is typed by the schema's output; a
// failure throws an ApiError for app.onError, never Hono's own answer.
import { sValidator } from '@hono/standard-validator';
import * as v from 'valibot';
import { invalidRequest, readJsonText, type Issue } from './body.ts';
import type { ApiError } from './errors.ts';

type Schema = Parameters<typeof sValidator>[1];
type Refusal = (issues: readonly Issue[]) => ApiError;
type Result = { success: true } | { success: false; error: readonly Issue[] };

// Async, so that the middleware's type says it returns a promise (of never: it answers nothing itself).
const refuseWith = (refusal: Refusal) => async (result: Result) => {
  if (!result.success) throw refusal(result.error);
};

/**
 * Validates a JSON body. It is read first by worker/body.ts's rules, each with its own code: at most 64 KB (413),
 * a JSON content type (415), JSON that parses (400 `invalid_json`); Hono's validator alone would read any size,
 * validate `{}` for another content type and answer malformed JSON with its own 400. `optional`: an empty body is `{}`.
 * A schema failure is 400 `invalid_request` with one `details` entry a problem.
 */
export function json<S extends Schema>(schema: S, opts: { optional?: boolean } = {}) {
  const check = sValidator('json', schema, refuseWith(invalidRequest));
  const guarded: typeof check = async (c, next) => {
    const text = await readJsonText(c.req.raw, opts);
    // The body stream is spent: the validator's c.req.json() reads Hono's body cache, which holds promises.
    (c.req.bodyCache as { text?: Promise<string> }).text = Promise.resolve(text);
    return check(c, next);
  };
  return guarded;
}

/** Hono's validator gives a repeated query key as a list; the API reads its first value, as c.req.query() does. */
// Not v.record: it would drop keys such as `constructor` that a strict schema must see to refuse.
const FirstValues = v.pipe(
  v.custom<Record<string, string | string[]>>((q) => typeof q === 'object' && q !== null),
  v.transform((q) => Object.fromEntries(Object.entries(q).map(([k, x]) => [k, Array.isArray(x) ? x[0] : x]))),
);

/** Validates the query string; a failure is 400 `invalid_request`, as for a body. */
export const query = <S extends v.GenericSchema>(schema: S) => {
  // Any schema takes the one-value-a-key record; the cast only tells the pipe so for a generic S.
  const single = schema as unknown as v.GenericSchema<Record<string, string | undefined>, v.InferOutput<S>>;
  return sValidator('query', v.pipe(FirstValues, single), refuseWith(invalidRequest));
};

/** Validates the path params; a failure is what `refusal` makes of it (a malformed id: 404, like a missing one). */
export const param = <S extends Schema>(schema: S, refusal: Refusal = invalidRequest) =>
  sValidator('param', schema, refuseWith(refusal));
