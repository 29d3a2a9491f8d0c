/** The desktop CLI's I/O and options: what every command receives. */
import { parseArgs } from 'node:util';
import { NotesError } from './errors.js';

/** What the CLI talks to. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  /** All of stdin (for `--password-stdin`). */
  readStdin(): Promise<string>;
  /** A hidden interactive prompt, when stdin is a terminal. */
  promptPassword?(question: string): Promise<string>;
  /** Aborted on Ctrl-C / SIGTERM: ends `watch`. */
  signal: AbortSignal;
}

const OPTIONS = {
  profile: { type: 'string' },
  'data-dir': { type: 'string' },
  api: { type: 'string' },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean' },
  offline: { type: 'boolean' },
  name: { type: 'string' },
  title: { type: 'string' },
  content: { type: 'string' },
  clear: { type: 'boolean' },
  'password-stdin': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export type Values = ReturnType<typeof parse>['values'];

export function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    throw new NotesError('CLIENT_USAGE', (e as Error).message);
  }
}
