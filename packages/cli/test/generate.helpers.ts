/**
 * Shared by the `syncline generate` tests: one generated project in a temporary directory, the compose file
 * resolved the way `docker compose config` resolves it, and `.env.example` read back.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { parse } from 'yaml';
import { GENERATED_FILES } from '../src/generate/files.js';
import { projectConfig, runCli } from './helpers.js';

/** Runs `syncline generate` for the fixture project into a new temporary directory; returns it and its files. */
export async function generateProject(): Promise<{ out: string; files: Record<string, string> }> {
  const out = await mkdtemp(join(tmpdir(), 'syncline-generate-'));
  const run = await runCli(['generate', '--config', projectConfig, '--out', out]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const files: Record<string, string> = {};
  for (const f of GENERATED_FILES) files[f] = await readFile(join(out, f), 'utf8');
  return { out, files };
}

export type Service = {
  image?: string;
  environment: Record<string, string>;
  ports: string[];
  command?: string[];
  volumes?: string[];
  depends_on?: Record<string, unknown>;
  restart?: string;
  healthcheck?: { test: string[] };
};
export type Compose = { services: Record<string, Service> };
/**
 * A compose file as `docker compose config` sees it: `${VAR}`, `${VAR:-default}`, `${VAR:?error}` resolved
 * from `env`.
 */
export const composeOf = (text: string, env: Record<string, string>) =>
  parse(
    text.replace(/\$\{(\w+)(?::([-?])([^}]*))?\}/g, (_, name: string, op?: string, arg?: string) => {
      const v = env[name];
      if (v) return v;
      if (op === '-') return arg ?? '';
      throw new Error(`compose: ${name} is not set (${arg ?? 'no default'})`);
    }),
  ) as Compose;

/** The variables of an `.env.example`, as written. */
export const dotEnvKeysOf = (example: string) =>
  Object.fromEntries(
    example
      .split('\n')
      .filter((l) => /^\w+=/.test(l))
      .map((l) => l.split(/=(.*)/).slice(0, 2) as [string, string]),
  );

/** An `.env.example` filled in the way its comments ask. */
export const dotEnvOf = (example: string) =>
  Object.fromEntries(
    example
      .split('\n')
      .filter((l) => /^\w+=/.test(l))
      .map((l) => {
        const [k, v] = l.split(/=(.*)/) as [string, string];
        return [k, v || `secret-for-${k.toLowerCase()}-0123456789abcdef0123456789`];
      }),
  );
