import { SyncError } from '@syncline/errors';
import pg from 'pg';

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/** The fields of a row as views (null for SQL NULL), valid only during the call they are passed to. */
export type RowViews = readonly (Buffer | null)[];

/**
 * The fields of the first row of `COPY (query) TO STDOUT (FORMAT binary)`, as raw bytes (null for SQL NULL).
 *
 * Why: `pg` hands every field of a normal query's row over as a string. For bytea that means Postgres
 * hex-encodes it (twice its size on the wire) and `pg` decodes the hex into a string and then into a Buffer;
 * for the megabytes of pre-encoded BSON ops a data line carries, that was most of the sync server's CPU in a
 * BSON initial sync. A binary COPY sends the stored bytes as they are. COPY takes no parameters: the query
 * must be built with {@link literal}.
 */
export function copyFirstRow(pool: pg.Pool, query: string): Promise<(Buffer | null)[] | null> {
  return copyFirstRowWith(pool, query, (fields) => fields.map((f) => (f ? Buffer.from(f) : null)));
}

/**
 * {@link copyFirstRow}, with the row handed to `use` as views into the connection's receive buffer (valid
 * only during the call): what `use` returns is the result. Building the final bytes there copies them once;
 * collecting the COPY's messages and cutting fields out of them copied every byte three times, and the
 * allocations made V8 run a full collection several times a second while serving megabytes of ops.
 */
export async function copyFirstRowWith<T>(
  pool: pg.Pool,
  query: string,
  use: (fields: RowViews) => T,
): Promise<T | null> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    return await new Promise<T | null>((resolve, reject) => {
      client.query(new CopyOut(`COPY (${query}) TO STDOUT (FORMAT binary)`, use, resolve, reject) as never);
    });
  } catch (e) {
    broken = e as Error;
    throw e;
  } finally {
    // A connection whose query failed is not given back to the pool (it may be cut): a new one costs little.
    client.release(broken);
  }
}

/** A SQL literal for {@link copyFirstRow}'s query. */
export function literal(value: string | bigint | number): string {
  return typeof value === 'string' ? pg.escapeLiteral(value) : String(value);
}

/** Sentinel of {@link tupleAt}: the COPY's trailer (no more rows). */
const TRAILER = Symbol('trailer');

/**
 * A `pg` submittable: the first row of one binary COPY TO STDOUT. Postgres sends the header with the first
 * tuple and each tuple in one CopyData message, so the row is normally read straight from the message (a view
 * into pg's buffer, which it reuses afterwards); any other split of the stream is collected and parsed at the end.
 * Exported for its unit test (the splits Postgres does not make).
 */
export class CopyOut<T> {
  private headerRead = false;
  private done = false;
  private result: T | null = null;
  /** Bytes after the header, collected when a tuple did not arrive in one message. */
  private rest: Buffer[] | null = null;
  private error: Error | null = null;
  private settled = false;

  constructor(
    private readonly text: string,
    private readonly use: (fields: RowViews) => T,
    private readonly resolve: (row: T | null) => void,
    private readonly reject: (e: Error) => void,
  ) {}

  submit(connection: { query(text: string): void }): void {
    connection.query(this.text);
  }

  handleCopyData(msg: { chunk: Buffer }): void {
    if (this.done || this.error) return;
    try {
      let data = msg.chunk;
      if (this.rest) {
        this.rest.push(Buffer.from(data));
        return;
      }
      if (!this.headerRead) {
        if (data.length < 19) {
          this.rest = [Buffer.from(data)];
          return;
        }
        data = data.subarray(headerLength(data));
        this.headerRead = true;
        if (data.length === 0) return;
      }
      const tuple = tupleAt(data);
      if (tuple === null) this.rest = [Buffer.from(data)];
      else this.take(tuple);
    } catch (e) {
      this.error = e as Error;
    }
  }

  private take(tuple: RowViews | typeof TRAILER): void {
    this.done = true;
    this.result = tuple === TRAILER ? null : this.use(tuple);
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
    if (!this.error && !this.done && this.rest) {
      try {
        let data = Buffer.concat(this.rest);
        if (!this.headerRead) data = data.subarray(headerLength(data));
        const tuple = tupleAt(data);
        if (tuple === null) throw notBinary();
        this.take(tuple);
      } catch (e) {
        this.error = e as Error;
      }
    }
    if (this.error) this.reject(this.error);
    else if (!this.done) this.reject(notBinary());
    else this.resolve(this.result);
  }
}

function notBinary(): SyncError {
  return new SyncError('STORAGE_FAILED', 'Bucket storage sent a COPY stream that is not in binary format.');
}

/** Length of the binary COPY header (signature, flags, header extension) at the start of `data`. */
function headerLength(data: Buffer): number {
  if (data.length < 19 || !data.subarray(0, 11).equals(SIGNATURE)) throw notBinary();
  return 15 + 4 + data.readUInt32BE(15);
}

/** The tuple at the start of `data` (fields as views), the trailer, or null when `data` ends inside it. */
function tupleAt(data: Buffer): RowViews | typeof TRAILER | null {
  if (data.length < 2) return null;
  const fields = data.readInt16BE(0);
  if (fields < 0) return TRAILER;
  let at = 2;
  const row: (Buffer | null)[] = [];
  for (let i = 0; i < fields; i++) {
    if (at + 4 > data.length) return null;
    const len = data.readInt32BE(at);
    at += 4;
    if (len < 0) row.push(null);
    else {
      if (at + len > data.length) return null;
      row.push(data.subarray(at, at + len));
      at += len;
    }
  }
  return row;
}
