import type { Context } from 'hono';
import * as v from 'valibot';
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

const tooLarge = () => new ApiError(413, 'payload_too_large', `The request body is larger than ${MAX_BODY_BYTES / 1024} KB`);

/** Parses a JSON body and validates it with a valibot schema; every failure is a 4xx in the one error shape. */
export async function parseJson<S extends v.GenericSchema>(c: Context, schema: S, opts: { optional?: boolean } = {}): Promise<v.InferOutput<S>> {
  const type = c.req.header('content-type') ?? '';
  const text = await readLimited(c.req.raw);
  if (text.trim() === '' && opts.optional) return validate(schema, {});
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
    throw new ApiError(415, 'unsupported_media_type', 'Send the body as JSON with Content-Type: application/json');
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ApiError(400, 'invalid_json', `The request body is not valid JSON: ${(e as Error).message}`);
  }
  return validate(schema, data);
}

export function validate<S extends v.GenericSchema>(schema: S, data: unknown): v.InferOutput<S> {
  const result = v.safeParse(schema, data);
  if (!result.success) {
    const details = result.issues.map((issue) => ({
      path: issue.path?.map((p) => String(p.key)).join('.') || '(body)',
      message: issue.message,
    }));
    const first = details[0];
    throw new ApiError(400, 'invalid_request', first ? `Invalid ${first.path}: ${first.message}` : 'Invalid request', details);
  }
  return result.output;
}
