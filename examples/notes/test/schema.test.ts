/** The notes schema is lint-clean (the library packages lint their own test schema). */
import { lintSchema } from '@syncline/schema';
import { describe, expect, it } from 'vitest';
import { schema } from '../schema.js';

describe('notes schema', () => {
  it('passes the schema lint', () => {
    expect(lintSchema(schema)).toEqual([]);
  });
});
