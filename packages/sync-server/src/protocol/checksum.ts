import { hash } from 'node:crypto';

/** First 4 bytes (little-endian, unsigned) of SHA-256 of the UTF-8 text. */
export function hash32(text: string): number {
  return (hash('sha256', text, 'buffer') as Buffer).readUInt32LE(0);
}

/** Checksum of a PUT op, as the official service computes it (`put.<type>.<id>.<data>`). */
export function putChecksum(objectType: string, objectId: string, data: string): number {
  return hash32(`put.${objectType}.${objectId}.${data}`);
}

/** Checksum of a REMOVE op (`delete.<subkey>`). */
export function removeChecksum(subkey: string): number {
  return hash32(`delete.${subkey}`);
}

/** Wrapping u32 addition. */
export function addChecksums(a: number, b: number): number {
  return (a + b) >>> 0;
}

/** A u32 checksum as the signed int32 the protocol sends for buckets. */
export function toSigned(checksum: number): number {
  return checksum | 0;
}
