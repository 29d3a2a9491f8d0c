import { JSONBig } from '@powersync/service-jsonbig';
import { describe, expect, it } from 'vitest';
import { rowJson } from './row-json.js';

describe('rowJson', () => {
  it('is byte-identical to JSONBig.stringify for the values rows carry', () => {
    const rows: Record<string, unknown>[] = [
      {
        id: 'a',
        n: 5,
        r: 5.5,
        big: 9007199254740993n,
        nul: null,
        s: 'q"uote\\ \n \u0001 é 😀',
        neg: -3,
        negr: -0.5,
      },
      { x: 1e21, y: 1e-7, z: -0, t: true, f: false, u: undefined },
      { 'we"ird key': 'v', '': '' },
      { nested: { a: 1 }, arr: [1, 2n] },
      {},
    ];
    for (const r of rows) expect(rowJson(r)).toBe(JSONBig.stringify(r));
  });

  it('matches on random rows', () => {
    for (let i = 0; i < 2000; i++) {
      const r: Record<string, unknown> = {};
      for (let k = 0; k < 6; k++) {
        const pick = Math.floor(Math.random() * 5);
        r[`c${k}`] = [
          () => Math.random() * 1e6,
          () => BigInt(Math.floor(Math.random() * 1e12)),
          () => Math.floor(Math.random() * 100),
          () => null,
          () => String.fromCharCode(...Array.from({ length: 8 }, () => Math.floor(Math.random() * 0x2fff))),
        ][pick]!();
      }
      expect(rowJson(r)).toBe(JSONBig.stringify(r));
    }
  });
});
