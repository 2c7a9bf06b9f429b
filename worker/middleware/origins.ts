/** Whether an Origin ("scheme://host[:port]") matches an allowlist entry; "https://*.example.com" matches subdomains. */
export function originAllowed(origin: string, allowlist: readonly string[]): boolean {
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (parsed.origin !== origin.toLowerCase().replace(/\/$/, '')) return false;
  for (const entry of allowlist) {
    const wildcard = /^(https?):\/\/\*\.([^/:]+)(?::(\d+))?$/i.exec(entry);
    if (!wildcard) {
      if (entry.toLowerCase() === parsed.origin) return true;
      continue;
    }
    const [, scheme, domain, port] = wildcard;
    if (parsed.protocol !== `${scheme!.toLowerCase()}:`) continue;
    if ((parsed.port || '') !== (port ?? '')) continue;
    if (parsed.hostname.endsWith(`.${domain!.toLowerCase()}`)) return true;
  }
  return false;
}

/**
 * The origin a request comes from. Browsers omit Origin on same-origin GETs (and HEADs), but then send
 * Sec-Fetch-Site: same-origin, so the page's origin is the Worker's own. Every other method carries an Origin
 * from a browser, so one without it is not a page of ours, whatever Sec-Fetch-Site claims.
 */
export function requestOrigin(req: Request): string | null {
  const origin = req.headers.get('origin');
  if (origin && origin !== 'null') return origin;
  const getLike = req.method === 'GET' || req.method === 'HEAD';
  if (!origin && getLike && req.headers.get('sec-fetch-site') === 'same-origin') return new URL(req.url).origin;
  return null;
}
