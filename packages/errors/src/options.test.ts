import { describe, expect, it } from 'vitest';
import { httpUrl, invalidOption, origins, positiveInt } from './options.js';

describe('option helpers', () => {
  it('invalidOption names the factory and the option', () => {
    const e = invalidOption('createThing', 'limit', 'must be positive');
    expect(e).toMatchObject({
      code: 'CONFIG_INVALID_OPTION',
      message: 'createThing: option "limit" must be positive',
      details: { factory: 'createThing', option: 'limit' },
    });
  });

  it('positiveInt returns the default for undefined and refuses anything but a positive safe integer', () => {
    expect(positiveInt('f', 'n', undefined, 7)).toBe(7);
    expect(positiveInt('f', 'n', 3, 7)).toBe(3);
    for (const bad of [0, -1, 1.5, Number.NaN, 2 ** 53, '3', null])
      expect(() => positiveInt('f', 'n', bad, 7)).toThrow(/f: option "n" must be a positive integer/);
  });

  it('httpUrl and origins normalise and refuse what is not http(s)', () => {
    expect(httpUrl('f', 'u', 'http://localhost:3000/')).toBe('http://localhost:3000');
    expect(() => httpUrl('f', 'u', 'ftp://x')).toThrow(/must use http or https/);
    expect(origins('f', 'o', ['http://localhost:5173/'])).toEqual(['http://localhost:5173']);
    expect(() => origins('f', 'o', ['http://*.example.com'])).toThrow(/no path or wildcard/);
  });
});
