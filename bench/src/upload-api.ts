/** The test API as its own process, for the upload benchmarks (`upload.ts`, `upload-concurrent.ts`). */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '@syncline/postgres';
import { waitFor } from '@syncline/test-utils';
import type { BenchEnv } from './env.js';

/** The test API's entry point (`@syncline/test-utils`). */
const apiMain = fileURLToPath(new URL('../../packages/test-utils/src/stack/api-main.ts', import.meta.url));

/**
 * Starts the test API on a free port and waits until it answers. `SYNCLINE_BENCH_API_FLAGS`: extra node flags
 * for it (e.g. `--cpu-prof --cpu-prof-dir=/tmp/p`).
 */
export async function startUploadApi(env: BenchEnv): Promise<{ url: string; process: ChildProcess }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const flags = process.env.SYNCLINE_BENCH_API_FLAGS?.split(' ').filter(Boolean) ?? [];
  const api = spawn(process.execPath, [...flags, '--import', 'tsx', apiMain], {
    env: {
      ...process.env,
      DATABASE_URL: env.url,
      PORT: String(port),
      BASE_URL: url,
      POWERSYNC_URL: 'http://127.0.0.1:1',
      SYNCLINE_LOG_LEVEL: 'warn',
      NODE_ENV: 'development',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitFor(async () => (await fetch(`${url}/api/auth/ok`).catch(() => null))?.ok === true, {
      timeout: 30_000,
    });
  } catch (e) {
    api.kill('SIGTERM');
    throw e;
  }
  return { url, process: api };
}

/** The document rows both upload benchmarks send (and insert raw as their baseline), by index. */
export function documentRows(): (i: number) => Record<string, string> {
  const now = new Date().toISOString();
  return (i) => ({
    title: `Document ${i}`,
    content: `content ${i} ${'x'.repeat(60)}`,
    device_id: 'bench',
    created_at: now,
    updated_at: now,
  });
}
