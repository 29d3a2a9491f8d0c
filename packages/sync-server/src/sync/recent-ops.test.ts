import { BSON } from 'bson';
import { describe, expect, it } from 'vitest';
import { bsonDataLine } from '../protocol/bson.js';
import { RecentOps } from './recent-ops.js';

const ops = (prev: number, ids: number[]) => ({
  prevLastOpId: BigInt(prev),
  opIds: ids.map(BigInt),
  lines: ids.map((i) => `{"op_id":"${i}"}`),
});

describe('RecentOps', () => {
  it('serves ranges it covers and refuses ranges it does not', () => {
    const c = new RecentOps();
    c.add('b', ops(10, [11, 12]));
    c.add('b', ops(12, [15]));
    expect(c.get('b', 10n, 15n, 100)).toEqual({
      lastOpId: 15n,
      count: 3,
      payload: '{"op_id":"11"},{"op_id":"12"},{"op_id":"15"}',
    });
    expect(c.get('b', 11n, 14n, 100)).toMatchObject({ lastOpId: 12n, count: 1 });
    expect(c.get('b', 12n, 15n, 1)).toMatchObject({ lastOpId: 15n, count: 1 });
    expect(c.get('b', 9n, 15n, 100)).toBeNull(); // op 10 may exist, not cached
    expect(c.get('other', 0n, 15n, 100)).toBeNull();
  });

  it('restarts a bucket when a commit does not follow the cached ones', () => {
    const c = new RecentOps();
    c.add('b', ops(10, [11]));
    c.add('b', ops(20, [21]));
    expect(c.get('b', 10n, 30n, 100)).toBeNull();
    expect(c.get('b', 20n, 30n, 100)).toMatchObject({ count: 1, lastOpId: 21n });
  });

  it('bounds ops per bucket and total bytes', () => {
    const c = new RecentOps(60, 2); // each line is 14 bytes
    c.add('b', ops(0, [1, 2, 3]));
    expect(c.get('b', 0n, 3n, 10)).toBeNull();
    expect(c.get('b', 1n, 3n, 10)).toMatchObject({ count: 2 });
    c.add('x', ops(0, [1, 2]));
    c.add('y', ops(0, [1, 2]));
    expect(c.size).toBeLessThanOrEqual(60);
    expect(c.get('b', 1n, 3n, 10)).toBeNull(); // least recent evicted
  });

  it('serves BSON array elements when commits carried BSON, and misses when one did not', () => {
    const c = new RecentOps();
    const withBson = (prev: number, ids: number[]) => ({
      ...ops(prev, ids),
      bson: ids.map((i) => Buffer.from(BSON.serialize({ op_id: String(i) }))),
    });
    c.add('b', withBson(10, [11, 12]));
    const range = c.get('b', 10n, 12n, 100, 'bson')!;
    expect(range).toMatchObject({ lastOpId: 12n, count: 2 });
    const line = BSON.deserialize(bsonDataLine('b', 10n, 12n, false, range.payload as Buffer));
    expect(line.data.data).toEqual([{ op_id: '11' }, { op_id: '12' }]);
    c.add('b', ops(12, [13])); // no BSON carried
    expect(c.get('b', 12n, 13n, 100, 'bson')).toBeNull();
    expect(c.get('b', 10n, 11n, 100, 'bson')).toMatchObject({ count: 1 });
    expect(c.get('b', 12n, 13n, 100)).toMatchObject({ count: 1 });
  });

  it('forgets compacted buckets', () => {
    const c = new RecentOps();
    c.add('b', ops(0, [1]));
    c.invalidate('b');
    expect(c.get('b', 0n, 1n, 10)).toBeNull();
    expect(c.size).toBe(0);
  });
});
