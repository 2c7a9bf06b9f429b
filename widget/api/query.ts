// Query strings built from a route's query type (`v.InferInput` of the Worker's schema for it). Give the type
// explicitly, `withQuery<BootstrapParams>(...)`: a key the schema renamed or dropped then fails to compile.

/** `path` with the query's defined values, each encoded; no `?` when there are none. */
export function withQuery<Q extends Record<string, string | undefined>>(path: string, query: Q): string {
  const parts = Object.entries(query)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`);
  return parts.length ? `${path}?${parts.join('&')}` : path;
}
