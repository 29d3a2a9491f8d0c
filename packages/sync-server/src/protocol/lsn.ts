/** A WAL position as a bigint (`16/B374D848` → 0x16B374D848). */
export function lsnToBigInt(lsn: string | null | undefined): bigint {
  if (!lsn) return 0n;
  const [hi, lo] = lsn.split('/');
  return (BigInt(`0x${hi || '0'}`) << 32n) | BigInt(`0x${lo || '0'}`);
}

/** bigint → `H/L` text as Postgres prints it. */
export function bigIntToLsn(value: bigint): string {
  return `${(value >> 32n).toString(16).toUpperCase()}/${(value & 0xffffffffn).toString(16).toUpperCase()}`;
}
