/**
 * Postgres text-format values → the SQLite-typed values `@powersync/service-sync-rules` evaluates:
 * `null`, string, number (REAL), bigint (INTEGER), Uint8Array, or a custom value (timestamps) that
 * `applyRowContext` renders according to the sync rules' compatibility options.
 *
 * Replication and snapshot connections run with `TimeZone=UTC` and `DateStyle=ISO`, so timestamptz text
 * is always `YYYY-MM-DD hh:mm:ss[.ffffff]+00`.
 */
import {
  DateTimeValue,
  type SqliteInputValue,
  TimeValue,
  TimeValuePrecision,
} from '@powersync/service-sync-rules';
import { SyncError } from '@syncline/errors';

/** How a column's text value is converted. */
export type ValueKind =
  | 'text'
  | 'bool'
  | 'int'
  | 'float'
  | 'json'
  | 'bytea'
  | 'timestamptz'
  | 'timestamp'
  | 'time'
  | 'array';

/** Type information for one column. */
export interface ColumnType {
  kind: ValueKind;
  /** Element kind for arrays. */
  element?: ValueKind;
}

const OID_KINDS: Record<number, ValueKind> = {
  16: 'bool',
  17: 'bytea',
  20: 'int',
  21: 'int',
  23: 'int',
  26: 'int',
  700: 'float',
  701: 'float',
  114: 'json',
  3802: 'json',
  1114: 'timestamp',
  1184: 'timestamptz',
  1083: 'time',
};

/** Built-in array type OIDs → element kind. Unknown OIDs are resolved through pg_type (see {@link TypeResolver}). */
const ARRAY_OIDS: Record<number, ValueKind> = {
  1000: 'bool',
  1001: 'bytea',
  1005: 'int',
  1007: 'int',
  1016: 'int',
  1028: 'int',
  1021: 'float',
  1022: 'float',
  199: 'json',
  3807: 'json',
  1115: 'timestamp',
  1185: 'timestamptz',
  1183: 'time',
  1009: 'text',
  1015: 'text',
  1014: 'text',
  2951: 'text',
  1231: 'text',
  1182: 'text',
  1002: 'text',
  1003: 'text',
  1187: 'text',
};

/** Column type for a built-in type OID, or undefined when pg_type must be asked. */
export function builtinColumnType(oid: number): ColumnType | undefined {
  const kind = OID_KINDS[oid];
  if (kind) return { kind };
  const element = ARRAY_OIDS[oid];
  if (element) return { kind: 'array', element };
  if (oid < 10000) return { kind: 'text' }; // other built-ins: numeric, uuid, date, interval… sync as text
  return undefined;
}

const MICROS = {
  subSecondPrecision: TimeValuePrecision.microseconds,
  defaultSubSecondPrecision: TimeValuePrecision.microseconds,
};

/** timestamptz text (UTC) → ISO-8601. `2024-01-02 03:04:05.6+00` → `2024-01-02T03:04:05.6Z`. */
export function timestamptzToIso(text: string): string {
  if (text === 'infinity' || text === '-infinity') return text;
  let s = text;
  const bc = s.endsWith(' BC');
  if (bc) s = s.slice(0, -3);
  s = s.replace(' ', 'T');
  if (s.endsWith('+00')) s = `${s.slice(0, -3)}Z`;
  else if (/[+-]\d\d$/.test(s)) s = `${s}:00`;
  return bc ? `-${s}` : s;
}

/** Converts one text value. */
export function convertValue(
  text: string | null | undefined,
  type: ColumnType,
): SqliteInputValue | undefined {
  if (text === undefined) return undefined; // unchanged TOAST: caller fills it in
  if (text === null) return null;
  switch (type.kind) {
    case 'text':
      return text;
    case 'bool':
      return text === 't' || text === 'true' ? 1n : 0n;
    case 'int':
      return BigInt(text);
    case 'float':
      return Number(text);
    case 'json':
      return text;
    case 'bytea':
      return text.startsWith('\\x')
        ? new Uint8Array(Buffer.from(text.slice(2), 'hex'))
        : new TextEncoder().encode(text);
    case 'timestamptz': {
      const iso = timestamptzToIso(text);
      return iso.endsWith('infinity') ? iso : new DateTimeValue(iso, undefined, MICROS);
    }
    case 'timestamp':
      return text.endsWith('infinity') ? text : new DateTimeValue(text.replace(' ', 'T'), undefined, MICROS);
    case 'time':
      return TimeValue.parse(text, MICROS) ?? text;
    case 'array':
      return JSON.stringify(parseArray(text, type.element ?? 'text'));
  }
}

type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue };

function arrayElement(raw: string | null, kind: ValueKind): JsonValue {
  if (raw === null) return null;
  switch (kind) {
    case 'int':
    case 'float':
      return Number(raw);
    case 'bool':
      return raw === 't' || raw === 'true';
    case 'json':
      return JSON.parse(raw) as JsonValue;
    case 'timestamptz':
      return timestamptzToIso(raw);
    case 'timestamp':
      return raw.replace(' ', 'T');
    default:
      return raw;
  }
}

/**
 * Parses a Postgres array literal (`{1,2,"a b",NULL,{3}}`) into nested JSON arrays, converting elements
 * by kind. Handles quoting, escapes, NULL and multi-dimensional arrays.
 */
export function parseArray(text: string, kind: ValueKind): JsonValue[] {
  let i = 0;
  // Optional dimension decoration: [1:2]={...}
  if (text[0] === '[') {
    const eq = text.indexOf('=');
    i = eq + 1;
  }
  const parseLevel = (): JsonValue[] => {
    if (text[i] !== '{') throw new SyncError('REPL_UNSUPPORTED', `malformed array literal: ${text}`);
    i++;
    const out: JsonValue[] = [];
    if (text[i] === '}') {
      i++;
      return out;
    }
    for (;;) {
      if (text[i] === '{') out.push(parseLevel());
      else if (text[i] === '"') {
        i++;
        let s = '';
        while (text[i] !== '"') {
          if (text[i] === '\\') i++;
          s += text[i];
          i++;
        }
        i++;
        out.push(arrayElement(s, kind));
      } else {
        let j = i;
        while (text[j] !== ',' && text[j] !== '}') j++;
        const raw = text.slice(i, j);
        i = j;
        out.push(arrayElement(raw === 'NULL' ? null : raw, kind));
      }
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '}') {
        i++;
        return out;
      }
      throw new SyncError('REPL_UNSUPPORTED', `malformed array literal: ${text}`);
    }
  };
  return parseLevel();
}
