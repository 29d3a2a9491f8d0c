/** Where a command writes: stdout and stderr by default, captured in tests. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

/** Writes lines to the process streams. */
export const processIo: Io = {
  out: (s) => process.stdout.write(`${s}\n`),
  err: (s) => process.stderr.write(`${s}\n`),
};

/** `ok` ✓, `fail` ✗ (exit 1), `warn` ! (informational), `skip` - (not checked, says why). */
export type CheckStatus = 'ok' | 'fail' | 'warn' | 'skip';

/** One line of a report: what was checked, what was found and, for ✗ and !, the exact fix. */
export interface CheckResult {
  /** Short name, e.g. `wal_level`, `publication powersync`. */
  name: string;
  status: CheckStatus;
  /** What was found. */
  detail: string;
  /** The exact fix: SQL, a config line or a command. */
  fix?: string;
  /** Error code from `@syncline/errors` for ✗ lines. */
  code?: string;
}

const MARK: Record<CheckStatus, string> = { ok: '✓', fail: '✗', warn: '!', skip: '-' };

/** Renders check results as one line each, with the fix indented under every ✗ and ! line. */
export function formatChecks(checks: readonly CheckResult[]): string {
  const width = Math.min(34, Math.max(...checks.map((c) => c.name.length), 10));
  const lines: string[] = [];
  for (const c of checks) {
    lines.push(`${MARK[c.status]} ${c.name.padEnd(width)}  ${c.detail}`);
    if (c.fix && (c.status === 'fail' || c.status === 'warn')) {
      const [first, ...rest] = c.fix.split('\n');
      lines.push(`    fix: ${first}`);
      for (const r of rest) lines.push(`         ${r}`);
    }
  }
  return lines.join('\n');
}

/** Summary line: counts of ✓, ✗ and !. */
export function summarize(checks: readonly CheckResult[]): string {
  const n = (s: CheckStatus) => checks.filter((c) => c.status === s).length;
  return `${n('ok')} ok, ${n('fail')} failed, ${n('warn')} warning(s), ${n('skip')} skipped`;
}

/** Fetch with a timeout; network failures reject with the underlying cause in the message. */
export async function fetchWithTimeout(
  url: string,
  init: RequestInit = {},
  timeoutMs = 5000,
): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    const why =
      err.name === 'TimeoutError'
        ? `timed out after ${timeoutMs} ms`
        : (err.cause?.code ?? err.cause?.message ?? err.message);
    throw new Error(`${url}: ${why}`);
  }
}
