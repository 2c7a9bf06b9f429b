// Hono's validator middleware (@hono/standard-validator, with valibot's Standard Schema) in the Worker's one error
// shape. A route declares its input in its chain, `c.req.valid(target)` is typed by the schema's output, and `hc`
// (or a test) sees the schema's input type; a failure throws an ApiError for app.onError, never Hono's own answer.
import { sValidator } from '@hono/standard-validator';
import type { ValidationTargets } from 'hono';
import { invalidRequest, readJsonText, type Issue } from './body.ts';
import type { ApiError } from './errors.ts';

type Schema = Parameters<typeof sValidator>[1];
type Refusal = (issues: readonly Issue[]) => ApiError;

// Async, so that the middleware's type says it returns a promise (of never: it answers nothing itself).
type Result = { success: true } | { success: false; error: readonly Issue[] };
const refuseWith = (refusal: Refusal) => async (result: Result) => {
  if (!result.success) throw refusal(result.error);
};

/**
 * Validates the query, the path params or the headers. A failure is 400 `invalid_request` with one `details` entry
 * a problem, or what `refusal` makes of the issues (a malformed id is answered like a missing one: 404).
 */
export const valid = <S extends Schema, T extends Exclude<keyof ValidationTargets, 'json' | 'form'>>(
  target: T,
  schema: S,
  refusal: Refusal = invalidRequest,
) => sValidator(target, schema, refuseWith(refusal));

/**
 * Validates a JSON body. It is read first by worker/body.ts's rules, each with its own code: at most 64 KB (413),
 * a JSON content type (415), JSON that parses (400 `invalid_json`); Hono's validator alone would read any size,
 * validate `{}` for another content type and answer malformed JSON with its own 400. `optional`: an empty body is `{}`.
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
