import { SyncError } from '@syncline/errors';
import pg from 'pg';

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/**
 * The fields of the first row of `COPY (query) TO STDOUT (FORMAT binary)`, as raw bytes (null for SQL NULL).
 *
 * Why: `pg` hands every field of a normal query's row over as a string. For bytea that means Postgres
 * hex-encodes it (twice its size on the wire) and `pg` decodes the hex into a string and then into a Buffer;
 * for the megabytes of pre-encoded BSON ops a data line carries, that was most of the sync server's CPU in a
 * BSON initial sync. A binary COPY sends the stored bytes as they are. COPY takes no parameters: the query
 * must be built with {@link literal}.
 */
export async function copyFirstRow(pool: pg.Pool, query: string): Promise<(Buffer | null)[] | null> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    const data = await new Promise<Buffer>((resolve, reject) => {
      client.query(new CopyOut(`COPY (${query}) TO STDOUT (FORMAT binary)`, resolve, reject) as never);
    });
    return firstRow(data);
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

/** A `pg` submittable: collects the CopyData of one COPY TO STDOUT. */
class CopyOut {
  private readonly chunks: Buffer[] = [];
  private error: Error | null = null;
  private settled = false;

  constructor(
    private readonly text: string,
    private readonly resolve: (data: Buffer) => void,
    private readonly reject: (e: Error) => void,
  ) {}

  submit(connection: { query(text: string): void }): void {
    connection.query(this.text);
  }

  handleCopyData(msg: { chunk: Buffer }): void {
    // A view into pg's receive buffer, which it reuses for later messages: copied.
    this.chunks.push(Buffer.from(msg.chunk));
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
    else this.resolve(this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks));
  }
}

/** Parses the binary COPY format (header, tuples of length-prefixed fields, trailer): the first tuple. */
function firstRow(data: Buffer): (Buffer | null)[] | null {
  if (data.length < 19 || !data.subarray(0, 11).equals(SIGNATURE))
    throw new SyncError('STORAGE_FAILED', 'Bucket storage sent a COPY stream that is not in binary format.');
  let at = 15 + 4 + data.readUInt32BE(15); // signature, flags, header extension
  const fields = data.readInt16BE(at);
  at += 2;
  if (fields < 0) return null; // the trailer: no rows
  const row: (Buffer | null)[] = [];
  for (let i = 0; i < fields; i++) {
    const len = data.readInt32BE(at);
    at += 4;
    if (len < 0) row.push(null);
    else {
      row.push(data.subarray(at, at + len));
      at += len;
    }
  }
  return row;
}
