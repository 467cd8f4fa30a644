/**
 * Removes what a URL may carry that must never be shown or stored — credentials and query values
 * (API keys ride there): `https://user:secret@gw/fspiop?apikey=K` → `https://***@gw/fspiop?apikey=***`.
 * Text that is not a URL is returned as is.
 */
export function redactUrl(url: string): string {
  if (!URL.canParse(url)) return url;
  const parsed = new URL(url);
  if (!parsed.username && !parsed.password && !parsed.search) return url;
  if (parsed.username || parsed.password) {
    parsed.username = '***';
    parsed.password = '';
  }
  // A parameter without a value may be the secret itself (`?s3cret`): it is masked whole.
  const query = [...parsed.searchParams.entries()].map(([key, value]) => (value === '' ? '***' : `${encodeURIComponent(key)}=***`)).join('&');
  parsed.search = query;
  // The WHATWG serialiser adds "/" to a bare origin; keep the URL as the user wrote it.
  return parsed.toString().replace(/\/(\?|$)/, url.replace(/[?#].*$/, '').endsWith('/') ? '/$1' : '$1');
}

/**
 * An FSPIOP path under a base URL, the way gateways expose the API: the base's own path is a
 * prefix that is kept (`https://gw.example/fspiop/` + `/parties/MSISDN/1` →
 * `https://gw.example/fspiop/parties/MSISDN/1`) and its query (an API key) rides on every request.
 */
export function joinUrl(base: string, path: string): string {
  const url = new URL(base);
  const prefix = url.pathname.replace(/\/+$/, '');
  const [pathname, query] = path.split('?', 2) as [string, string | undefined];
  url.pathname = `${prefix}/${pathname.replace(/^\/+/, '')}`;
  if (query) for (const [key, value] of new URLSearchParams(query)) url.searchParams.append(key, value);
  return url.toString();
}

/** The URL without its query: what a client without credentials (no API key) would call. */
export function withoutQuery(url: string): string {
  const parsed = new URL(url);
  parsed.search = '';
  return parsed.toString();
}
