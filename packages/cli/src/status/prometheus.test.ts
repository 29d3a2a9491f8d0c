import { describe, expect, it } from 'vitest';
import { parsePrometheus, sampleValue } from './prometheus.js';

describe('parsePrometheus', () => {
  it('reads plain and labelled samples, skipping comments', () => {
    const samples = parsePrometheus(
      [
        '# HELP syncline_streams_open Open sync streams',
        '# TYPE syncline_streams_open gauge',
        'syncline_streams_open 2',
        'syncline_user_ops{user="a\\"b",client="c1"} 42 1700000000000',
        'bad line',
        'syncline_x +Inf',
      ].join('\n'),
    );
    expect(samples).toEqual([
      { name: 'syncline_streams_open', labels: {}, value: 2 },
      { name: 'syncline_user_ops', labels: { user: 'a"b', client: 'c1' }, value: 42 },
      { name: 'syncline_x', labels: {}, value: Number.POSITIVE_INFINITY },
    ]);
    expect(sampleValue(samples, 'syncline_streams_open')).toBe(2);
    expect(sampleValue(samples, 'missing')).toBeUndefined();
  });
});
