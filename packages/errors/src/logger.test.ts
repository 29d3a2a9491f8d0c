import { describe, expect, it, vi } from 'vitest';
import { createLogger } from './logger.js';

describe('createLogger', () => {
  it('writes JSON lines with bound fields and filters by level', () => {
    const lines: string[] = [];
    const log = createLogger({ name: 'x', level: 'info', format: 'json', write: (l) => lines.push(l) }).child(
      { user: 'u1' },
    );
    log.debug('hidden');
    log.info('shown', { n: 1n, error: new Error('boom') });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 'info',
      msg: 'shown',
      component: 'x',
      user: 'u1',
      n: '1',
      error: { message: 'boom' },
    });
  });

  it('works without `process` (browsers), writing to the console', () => {
    const saved = globalThis.process;
    const spy = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      // @ts-expect-error simulate a browser
      globalThis.process = undefined;
      createLogger({ name: 'web' }).info('hello');
      expect(spy).toHaveBeenCalledWith(expect.stringContaining('hello'));
    } finally {
      globalThis.process = saved;
      spy.mockRestore();
    }
  });
});
