/**
 * camelCase or PascalCase property name → snake_case column name.
 *
 * @example
 * toSnakeCase('ownerId'); // 'owner_id'
 * toSnakeCase('isHTMLSafe'); // 'is_html_safe'
 */
export function toSnakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z0-9])/g, '$1_$2')
    .toLowerCase();
}

/**
 * snake_case column name → camelCase property name.
 *
 * @example
 * toCamelCase('owner_id'); // 'ownerId'
 */
export function toCamelCase(name: string): string {
  return name.replace(/_+([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Names PowerSync and SQLite accept for tables and columns without quoting surprises. */
export const SAFE_NAME = /^[a-z_][a-z0-9_]*$/;
