import { describe, expect, it } from 'vitest';
import { createLatestRunner, createStaleGuard } from './stale-guard.js';

const deferred = <T>() => {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

describe('createStaleGuard', () => {
  it('invalidates and aborts the previous ticket', () => {
    const guard = createStaleGuard();
    const t1 = guard.next();
    expect(t1.isCurrent()).toBe(true);
    const t2 = guard.next();
    expect(t1.isCurrent()).toBe(false);
    expect(t1.signal.aborted).toBe(true);
    expect(t2.isCurrent()).toBe(true);
    guard.cancel();
    expect(t2.isCurrent()).toBe(false);
    expect(t2.signal.aborted).toBe(true);
  });
});

describe('createLatestRunner', () => {
  it('delivers only the latest run, even when an earlier one finishes last', async () => {
    const pending = new Map<string, ReturnType<typeof deferred<string>>>();
    const results: unknown[] = [];
    const runner = createLatestRunner(
      (input: string) => {
        const d = deferred<string>();
        pending.set(input, d);
        return d.promise;
      },
      (r) => results.push(r),
    );
    runner.run('cached');
    runner.run('fresh');
    pending.get('fresh')!.resolve('FRESH');
    await Promise.resolve();
    pending.get('cached')!.resolve('STALE'); // slow post-processing of the old result lands last
    await new Promise((r) => setTimeout(r, 0));
    expect(results).toEqual([{ input: 'fresh', value: 'FRESH' }]);
  });

  it('reports errors of the latest run, and nothing after cancel', async () => {
    const results: unknown[] = [];
    const runner = createLatestRunner(
      async (input: number) => {
        if (input === 1) throw new Error('boom');
        return input;
      },
      (r) => results.push(r),
    );
    runner.run(1);
    await new Promise((r) => setTimeout(r, 0));
    expect(results).toMatchObject([{ input: 1, error: { message: 'boom' } }]);
    runner.run(2);
    runner.cancel();
    await new Promise((r) => setTimeout(r, 0));
    expect(results).toHaveLength(1);
  });
});
