import { SyncError } from '@syncline/errors';
import pg from 'pg';

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/** The fields of a row as views (null for SQL NULL), valid only during the call they are passed to. */
export type RowViews = readonly (Buffer | null)[];

/**
 * Runs `COPY (query) TO STDOUT (FORMAT binary)` and hands each row to `onRow`, in order, as views into the
 * connection's receive buffer (valid only during the call: copy what you keep).
 *
 * Why: `pg` hands every field of a normal query's row over as a string. For bytea that means Postgres
 * hex-encodes it (twice its size on the wire) and `pg` decodes the hex into a string and then into a Buffer;
 * for the megabytes of pre-encoded BSON ops a data line carries, that was most of the sync server's CPU in a
 * BSON initial sync. A binary COPY sends the stored bytes as they are, and a row per op keeps each message
 * small: one large message (a whole page joined by Postgres) made `pg`'s parser grow a buffer for it by
 * doubling and copying, for every page. COPY takes no parameters: the query must be built with {@link literal}.
 */
export async function copyRows(
  pool: pg.Pool,
  query: string,
  onRow: (fields: RowViews) => void,
): Promise<void> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      client.query(new CopyOut(`COPY (${query}) TO STDOUT (FORMAT binary)`, onRow, resolve, reject) as never);
    });
  } catch (e) {
    broken = e as Error;
    throw e;
  } finally {
    // A connection whose query failed is not given back to the pool (it may be cut): a new one costs little.
    client.release(broken);
  }
}

/** A SQL literal for {@link copyRows}' query. */
export function literal(value: string | bigint | number): string {
  return typeof value === 'string' ? pg.escapeLiteral(value) : String(value);
}

/** Sentinel of {@link tupleAt}: the COPY's trailer (no more rows). */
const TRAILER = Symbol('trailer');

/**
 * A `pg` submittable: the rows of one binary COPY TO STDOUT. Postgres sends the header with the first tuple
 * and each tuple in one CopyData message, so rows are normally read straight from the message (a view into
 * pg's buffer); bytes of a tuple split across messages are carried (copied) until it is whole. Exported for
 * its unit test (the splits Postgres does not make).
 */
export class CopyOut {
  private headerRead = false;
  private ended = false;
  /** Bytes of an incomplete header or tuple, waiting for the next message. */
  private carry: Buffer | null = null;
  private error: Error | null = null;
  private settled = false;

  constructor(
    private readonly text: string,
    private readonly onRow: (fields: RowViews) => void,
    private readonly resolve: () => void,
    private readonly reject: (e: Error) => void,
  ) {}

  submit(connection: { query(text: string): void }): void {
    connection.query(this.text);
  }

  handleCopyData(msg: { chunk: Buffer }): void {
    if (this.ended || this.error) return;
    try {
      const data = this.carry ? Buffer.concat([this.carry, msg.chunk]) : msg.chunk;
      this.carry = null;
      let at = 0;
      if (!this.headerRead) {
        const length = headerLength(data);
        if (length === null) {
          this.carry = Buffer.from(data);
          return;
        }
        at = length;
        this.headerRead = true;
      }
      while (at < data.length) {
        const tuple = tupleAt(data, at);
        if (tuple === null) {
          this.carry = Buffer.from(data.subarray(at));
          return;
        }
        if (tuple === TRAILER) {
          this.ended = true;
          return;
        }
        this.onRow(tuple.fields);
        at = tuple.end;
      }
    } catch (e) {
      this.error = e as Error;
    }
  }

  handleError(e: Error): void {
    // An error from Postgres is followed by ReadyForQuery; a lost connection is not: settle now either way.
    this.error ??= e;
    this.settle();
  }

  handleReadyForQuery(): void {
    this.settle();
  }

  handleCopyInResponse(connection: { sendCopyFail(msg: string): void }): void {
    connection.sendCopyFail('not a COPY FROM');
  }

  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleCommandComplete(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}

  private settle(): void {
    if (this.settled) return;
    this.settled = true;
    if (this.error) this.reject(this.error);
    else if (!this.ended) this.reject(notBinary());
    else this.resolve();
  }
}

function notBinary(): SyncError {
  return new SyncError('STORAGE_FAILED', 'Bucket storage sent a COPY stream that is not in binary format.');
}

/** Length of the binary COPY header (signature, flags, header extension) at the start of `data`; null: incomplete. */
function headerLength(data: Buffer): number | null {
  const compare = Math.min(data.length, SIGNATURE.length);
  if (!data.subarray(0, compare).equals(SIGNATURE.subarray(0, compare))) throw notBinary();
  if (data.length < 19) return null;
  const length = 19 + data.readUInt32BE(15);
  return data.length < length ? null : length;
}

/** The tuple at `at` (fields as views, and where it ends), the trailer, or null when `data` ends inside it. */
function tupleAt(data: Buffer, at: number): { fields: RowViews; end: number } | typeof TRAILER | null {
  if (data.length < at + 2) return null;
  const count = data.readInt16BE(at);
  if (count < 0) return TRAILER;
  let pos = at + 2;
  const fields: (Buffer | null)[] = [];
  for (let i = 0; i < count; i++) {
    if (pos + 4 > data.length) return null;
    const len = data.readInt32BE(pos);
    pos += 4;
    if (len < 0) fields.push(null);
    else {
      if (pos + len > data.length) return null;
      fields.push(data.subarray(pos, pos + len));
      pos += len;
    }
  }
  return { fields, end: pos };
}
