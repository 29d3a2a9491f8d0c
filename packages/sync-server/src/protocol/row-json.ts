import { JSONBig } from '@powersync/service-jsonbig';

const INTEGER_TEXT = /^-?\d+$/;

function scalar(v: unknown): string | undefined {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'bigint':
      return v.toString();
    case 'number': {
      // Same as the official service: a REAL that prints as an integer keeps its type with ".0".
      const t = v.toString();
      return INTEGER_TEXT.test(t) ? `${t}.0` : t;
    }
    case 'boolean':
      return v ? 'true' : 'false';
    default:
      return v === null ? 'null' : undefined;
  }
}

/**
 * Serialises a flat row (string / REAL number / INTEGER bigint / null values) exactly as `JSONBig.stringify`
 * does, about twice as fast; anything else (nested values, containers) goes through JSONBig itself.
 */
export function rowJson(row: Record<string, unknown>): string {
  let out = '{';
  let first = true;
  for (const key of Object.keys(row)) {
    const v = row[key];
    if (v === undefined || typeof v === 'function') continue;
    const s = scalar(v);
    if (s === undefined) return JSONBig.stringify(row);
    out += first ? '' : ',';
    out += JSON.stringify(key);
    out += ':';
    out += s;
    first = false;
  }
  return `${out}}`;
}
