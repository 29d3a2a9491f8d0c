/**
 * Returns a copy of a Postgres URL with another database name.
 *
 * @example
 * withDatabase('postgres://u:p@127.0.0.1:5432/postgres', 'app'); // 'postgres://u:p@127.0.0.1:5432/app'
 */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

/** The database name of a Postgres URL. */
export function databaseOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) || 'postgres';
}

/** The URL with its password replaced by `***`, for logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<invalid url>';
  }
}
