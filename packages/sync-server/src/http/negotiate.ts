import type { IncomingMessage } from 'node:http';
import Negotiator from 'negotiator';
import type { Encoding } from '../protocol/lines.js';

/** The response content types of `/sync/stream`. */
export const CONTENT_TYPE: Record<Encoding, string> = {
  ndjson: 'application/x-ndjson',
  // The client compares the whole header with this string: no parameters may follow it.
  bson: 'application/vnd.powersync.bson-stream',
};

/**
 * The encoding the client prefers by its `Accept` header (the official clients send BSON q=0.9, NDJSON
 * q=0.8). NDJSON on a tie, without the header, or when neither is acceptable (curl, older clients).
 */
export function negotiateEncoding(req: IncomingMessage): Encoding {
  const preferred = new Negotiator(req).mediaType([CONTENT_TYPE.ndjson, CONTENT_TYPE.bson]);
  return preferred === CONTENT_TYPE.bson ? 'bson' : 'ndjson';
}
