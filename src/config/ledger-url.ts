// Where the reference hub keeps its books when not in SQLite: `npm run hub -- --ledger URL`.

/** The form `--ledger` takes; said in every error about it. */
export const MYSQL_LEDGER_URL_FORM = 'mysql://USER:PASSWORD@HOST:PORT/DATABASE';

/**
 * Checks a `--ledger` URL: undefined when it is a usable MySQL URL, else what is wrong with it —
 * in words that never contain its password.
 */
export function mysqlLedgerUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `is not a URL; expected ${MYSQL_LEDGER_URL_FORM}`;
  }
  if (parsed.protocol !== 'mysql:') return `must start with mysql:// (got ${parsed.protocol}//); expected ${MYSQL_LEDGER_URL_FORM}`;
  if (!parsed.hostname) return `names no host; expected ${MYSQL_LEDGER_URL_FORM}`;
  if (!/^\/[A-Za-z0-9_$]{1,64}$/.test(parsed.pathname)) return `names no database (or one with characters other than letters, digits, _ and $); expected ${MYSQL_LEDGER_URL_FORM}`;
  if (!parsed.username) return `names no user; expected ${MYSQL_LEDGER_URL_FORM}`;
  return undefined;
}

/** The URL as it may be shown: the password replaced by ***. */
export function shownLedgerUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(not a URL)';
  }
}
