import { describe, expect, it } from 'vitest';
import { dataLine, NdjsonDataLineBuilder } from './lines.js';

describe('NdjsonDataLineBuilder', () => {
  it('builds the same bytes as dataLine from the ops as UTF-8 bytes, whatever the size hint', () => {
    const ops = Array.from(
      { length: 40 },
      (_, i) =>
        `{"op_id":"${i + 1}","op":"PUT","object_type":"t","object_id":"ü-${i}","data":"{\\"x\\":\\"${'é€😀'.repeat(i)}\\"}"}`,
    );
    for (const bucket of ['b[]', '1#ütf["x"]']) {
      const name = JSON.stringify(bucket);
      for (const count of [0, 1, 2, 40]) {
        for (const [hint, last, more] of [
          [0, 9n, true],
          [5, 12345678901234567890n, false],
          [100_000, 41n, false],
        ] as const) {
          const builder = new NdjsonDataLineBuilder(name, 7n, hint);
          for (const op of ops.slice(0, count)) builder.add(Buffer.from(op));
          const line = builder.finish(last, more);
          expect(builder.count).toBe(count);
          expect(line.toString('utf8')).toBe(dataLine(name, 7n, last, more, ops.slice(0, count).join(',')));
        }
      }
    }
  });
});
