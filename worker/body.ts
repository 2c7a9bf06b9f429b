import type { Context } from 'hono';
import * as v from 'valibot';
import type { FieldProblem } from './api-types.ts';
import { ApiError } from './errors.ts';

export const MAX_BODY_BYTES = 64 * 1024;

/** Reads at most MAX_BODY_BYTES of the request body, whatever Content-Length claims. */
export async function readLimited(req: Request): Promise<string> {
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  if (!req.body) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  const all = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(all);
  } catch {
    throw new ApiError(400, 'invalid_json', 'The request body is not valid UTF-8');
  }
}

const tooLarge = () =>
  new ApiError(413, 'payload_too_large', `The request body is larger than ${MAX_BODY_BYTES / 1024} KB`);

/** Hono's validator reads a `json` body only for these media types; the same rule here, so the two never disagree. */
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;
const isJson = (contentType: string) => JSON_MEDIA_TYPE.test(contentType.split(';')[0]!.trim());

/**
 * The text of a JSON request body, read within MAX_BODY_BYTES: 413 when larger, 415 for another content type, 400
 * `invalid_json` when it does not parse. `optional`: an empty body (any content type) reads as `{}`.
 */
export async function readJsonText(req: Request, opts: { optional?: boolean } = {}): Promise<string> {
  const text = await readLimited(req);
  if (text.trim() === '' && opts.optional) return '{}';
  if (!isJson(req.headers.get('content-type') ?? '')) {
    throw new ApiError(415, 'unsupported_media_type', 'Send the body as JSON with Content-Type: application/json');
  }
  try {
    JSON.parse(text);
  } catch (e) {
    throw new ApiError(400, 'invalid_json', `The request body is not valid JSON: ${(e as Error).message}`);
  }
  return text;
}

/** A schema problem as valibot and Standard Schema report it: a message and the path of keys to the value. */
export interface Issue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: unknown }> | undefined;
}

/** The one answer to input a schema refused: 400 `invalid_request`, one `details` entry a problem. */
export function invalidRequest(issues: readonly Issue[]): ApiError {
  const details: FieldProblem[] = issues.map((issue) => ({
    path: issue.path?.map((p) => String(typeof p === 'object' ? p.key : p)).join('.') || '(body)',
    message: issue.message,
  }));
  const first = details[0];
  const message = first ? `Invalid ${first.path}: ${first.message}` : 'Invalid request';
  return new ApiError(400, 'invalid_request', message, details);
}

/**
 * Parses a JSON body and validates it with a valibot schema; every failure is a 4xx in the one error shape. For code
 * outside a route's middleware chain (the admin console's fake API): routes use worker/validator.ts's `json`.
 */
export async function parseJson<S extends v.GenericSchema>(
  c: Context,
  schema: S,
  opts: { optional?: boolean } = {},
): Promise<v.InferOutput<S>> {
  return validate(schema, JSON.parse(await readJsonText(c.req.raw, opts)));
}

export function validate<S extends v.GenericSchema>(schema: S, data: unknown): v.InferOutput<S> {
  const result = v.safeParse(schema, data);
  if (!result.success) throw invalidRequest(result.issues);
  return result.output;
}
