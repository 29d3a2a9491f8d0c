/**
 * Row id formats: what the upload endpoint accepts as the `id` of a row (and as the value of a column that
 * references a table). Ids are client-generated, so they are checked before they reach Postgres: an id
 * too long to index or with characters no client generates is refused with a 4xx, never stored.
 */

/** A named format, or your own pattern. */
export type IdFormat = 'default' | 'uuid' | RegExp;

/** How the ids of a table are checked. */
export interface IdSpec {
  readonly format: IdFormat;
  /** Longest accepted id, in characters. */
  readonly maxLength: number;
}

/** Longest id the default format accepts (a UUID has 36 characters). */
export const DEFAULT_ID_MAX_LENGTH = 128;

/**
 * The default format: 1–128 printable ASCII characters from letters, digits and `- _ . : @ ~ + = /`.
 * It accepts what the official PowerSync clients generate (`uuid()` / `crypto.randomUUID()`) and the ids
 * apps usually build (`web-1a2b`, `user:42:settings`, base64url), and refuses whitespace, control and
 * non-ASCII characters (which look alike and sort differently across databases).
 */
export const DEFAULT_ID_PATTERN = /^[A-Za-z0-9_.:@~+=/-]+$/;

/** A UUID in its canonical text form (any version, either case). */
export const UUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** The default id spec. */
export const DEFAULT_ID_SPEC: IdSpec = { format: 'default', maxLength: DEFAULT_ID_MAX_LENGTH };

/** Why an id is refused, or `null` when it is accepted. */
export function checkId(spec: IdSpec, id: string): string | null {
  if (id.length === 0) return 'is empty';
  if (id.length > spec.maxLength)
    return `has ${id.length} characters; at most ${spec.maxLength} are accepted`;
  const { format } = spec;
  if (format === 'uuid') return UUID_PATTERN.test(id) ? null : 'is not a UUID';
  const pattern = format === 'default' ? DEFAULT_ID_PATTERN : format;
  pattern.lastIndex = 0; // a /g or /y pattern keeps state between calls
  if (pattern.test(id)) return null;
  return format === 'default'
    ? 'may only contain letters, digits and - _ . : @ ~ + = / (no spaces, control or non-ASCII characters)'
    : `does not match the id format ${String(format)}`;
}

/** A human description of a spec, for error messages and docs. */
export function describeIdSpec(spec: IdSpec): string {
  if (spec.format === 'uuid') return 'a UUID';
  if (spec.format === 'default')
    return `1–${spec.maxLength} letters, digits or - _ . : @ ~ + = / (e.g. a UUID)`;
  return `text matching ${String(spec.format)} (at most ${spec.maxLength} characters)`;
}
