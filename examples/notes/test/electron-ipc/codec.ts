/**
 * How the test's stand-in for Electron's IPC carries values between Chromium and Node: JSON with `Date`s
 * kept (Electron structured-clones, so a status's `lastSyncedAt` arrives as a Date; plain JSON would not).
 */
const DATE = '__date';

export function encode(value: unknown): string | undefined {
  return JSON.stringify(value, function (this: Record<string, unknown>, key) {
    const raw = this[key];
    return raw instanceof Date ? { [DATE]: raw.toISOString() } : raw;
  });
}

export function decode<T = unknown>(text: string | undefined): T {
  if (text === undefined) return undefined as T;
  return JSON.parse(text, (_key, v) =>
    v && typeof v === 'object' && typeof v[DATE] === 'string' && Object.keys(v).length === 1
      ? new Date(v[DATE])
      : v,
  ) as T;
}
