import {
  CompatibilityContext,
  CompatibilityEdition,
  CompatibilityOption,
  type DateTimeValue,
  TimeValuePrecision,
} from '@powersync/service-sync-rules';
import { describe, expect, it } from 'vitest';
import { builtinColumnType, convertValue, parseArray, timestamptzToIso } from './values.js';

const iso = new CompatibilityContext({
  edition: CompatibilityEdition.LEGACY,
  overrides: new Map([[CompatibilityOption.timestampsIso8601, true]]),
  maxTimeValuePrecision: TimeValuePrecision.milliseconds,
});

describe('convertValue', () => {
  it('maps scalars to SQLite types', () => {
    expect(convertValue('t', { kind: 'bool' })).toBe(1n);
    expect(convertValue('f', { kind: 'bool' })).toBe(0n);
    expect(convertValue('9007199254740993', { kind: 'int' })).toBe(9007199254740993n);
    expect(convertValue('1.5', { kind: 'float' })).toBe(1.5);
    expect(convertValue('{"a":1}', { kind: 'json' })).toBe('{"a":1}');
    expect(convertValue(null, { kind: 'int' })).toBeNull();
    expect(convertValue(undefined, { kind: 'int' })).toBeUndefined();
    expect(convertValue('\\x0102ff', { kind: 'bytea' })).toEqual(new Uint8Array([1, 2, 255]));
  });

  it('renders timestamptz as the ISO text JavaScript produces (timestamps_iso8601, ms precision)', () => {
    const v = convertValue('2024-01-02 03:04:05.678912+00', { kind: 'timestamptz' }) as DateTimeValue;
    expect(v.toSqliteValue(iso)).toBe('2024-01-02T03:04:05.678Z');
    const whole = convertValue('2024-01-02 03:04:05+00', { kind: 'timestamptz' }) as DateTimeValue;
    expect(whole.toSqliteValue(iso)).toBe(new Date('2024-01-02T03:04:05Z').toISOString());
    expect(whole.toSqliteValue(CompatibilityContext.FULL_BACKWARDS_COMPATIBILITY)).toBe(
      '2024-01-02 03:04:05Z',
    );
  });

  it('keeps other offsets and infinity', () => {
    expect(timestamptzToIso('2024-01-02 03:04:05+05:30')).toBe('2024-01-02T03:04:05+05:30');
    expect(timestamptzToIso('2024-01-02 03:04:05-02')).toBe('2024-01-02T03:04:05-02:00');
    expect(convertValue('infinity', { kind: 'timestamptz' })).toBe('infinity');
  });

  it('turns arrays into JSON text', () => {
    expect(convertValue('{1,2,NULL}', { kind: 'array', element: 'int' })).toBe('[1,2,null]');
    expect(convertValue('{"a b","c\\"d",e}', { kind: 'array', element: 'text' })).toBe('["a b","c\\"d","e"]');
    expect(parseArray('{{1,2},{3,4}}', 'int')).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(parseArray('{}', 'text')).toEqual([]);
    expect(parseArray('[0:1]={5,6}', 'int')).toEqual([5, 6]);
  });

  it('knows built-in types and defers custom ones', () => {
    expect(builtinColumnType(1184)).toEqual({ kind: 'timestamptz' });
    expect(builtinColumnType(1007)).toEqual({ kind: 'array', element: 'int' });
    expect(builtinColumnType(1700)).toEqual({ kind: 'text' });
    expect(builtinColumnType(16_500)).toBeUndefined();
  });
});
