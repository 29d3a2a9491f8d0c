import { describe, expect, it } from 'vitest';
import { toCamelCase, toSnakeCase } from './index.js';

describe('naming', () => {
  it.each([
    ['ownerId', 'owner_id'],
    ['createdAt', 'created_at'],
    ['id', 'id'],
    ['parentGroupId', 'parent_group_id'],
    ['isHTMLSafe', 'is_html_safe'],
    ['version2', 'version2'],
  ])('%s ⇄ %s', (camel, snake) => {
    expect(toSnakeCase(camel)).toBe(snake);
  });
  it('snake → camel', () => {
    expect(toCamelCase('parent_group_id')).toBe('parentGroupId');
  });
});
