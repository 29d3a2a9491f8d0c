import { type ParseArgsConfig, parseArgs } from 'node:util';
import { type ErrorCode, SyncError } from '@syncline/errors';
import type { Io } from './report.js';

type Options = NonNullable<ParseArgsConfig['options']>;
type Parsed<T extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>
>;

/** A command-line mistake: exit code 2 with the usage text. */
export class UsageError extends Error {}

/** `parseArgs` that turns unknown or malformed options into a {@link UsageError}. */
export function parseCommandArgs<T extends Options>(argv: string[], options: T): Parsed<T> {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** Splits `a,b , c` into `['a', 'b', 'c']`. */
export function list(value: string | undefined): string[] {
  return value
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
}

/** How a command reports an error that ends it: see {@link commandFailed}. */
export interface FailureOptions {
  /** `--json` was given: also print the error as JSON on stdout. */
  json?: boolean;
  /** Exit code for a (non-usage) error with this code. Default 2. */
  exitCode?: (code: ErrorCode) => number;
}

/**
 * The catch-all of every command: a {@link UsageError} prints the message and the usage (exit 2); any other
 * error prints `✗ CODE: message` on stderr (plus `{ ok: false, code, message… }` on stdout with `--json`).
 */
export function commandFailed(e: unknown, io: Io, usage: string, options: FailureOptions = {}): number {
  if (e instanceof UsageError) {
    io.err(`${e.message}\n\n${usage}`);
    return 2;
  }
  const err = SyncError.from(e);
  if (options.json) io.out(JSON.stringify({ ok: false, ...err.toJSON() }, null, 2));
  io.err(`✗ ${err.code}: ${err.message}`);
  return options.exitCode?.(err.code) ?? 2;
}
