import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** The one error shape of every Worker response: { error: { code, message, requestId, details? } }. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function errorBody(code: string, message: string, requestId: string, details?: unknown) {
  return { error: { code, message, requestId, ...(details === undefined ? {} : { details }) } };
}

export function errorResponse(c: Context, err: ApiError): Response {
  const requestId = (c.get('requestId') as string | undefined) ?? crypto.randomUUID();
  for (const [k, v] of Object.entries(err.headers ?? {})) c.header(k, v);
  c.header('X-Request-Id', requestId);
  return c.json(errorBody(err.code, err.message, requestId, err.details), err.status);
}

export const notFound = (what = 'Route') => new ApiError(404, 'not_found', `${what} not found`);
