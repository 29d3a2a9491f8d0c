import { SyncError } from '@syncline/errors';
import pg from 'pg';
import { PgoutputPlugin } from 'pg-logical-replication';
import { bigIntToLsn } from '../protocol/lsn.js';
import { SESSION_OPTIONS } from './slot.js';

/** A tuple of a row message: column name → raw text (`null` for SQL NULL, `undefined` for unchanged TOAST). */
export type PgTuple = Record<string, string | null | undefined>;

/** A pgoutput relation message (the fields Syncline reads; `pg-logical-replication` ships no types for them). */
export interface PgRelation {
  tag: 'relation';
  relationOid: number;
  schema: string;
  name: string;
  keyColumns: string[];
  columns: { name: string; typeOid: number; parser?: unknown }[];
}

/** A pgoutput insert, update or delete message. */
export type PgRowMessage =
  | { tag: 'insert'; relation: PgRelation; new: PgTuple }
  | { tag: 'update'; relation: PgRelation; key: PgTuple | null; old: PgTuple | null; new: PgTuple }
  | { tag: 'delete'; relation: PgRelation; key: PgTuple | null; old: PgTuple | null };

/** A pgoutput truncate message. */
export interface PgTruncate {
  tag: 'truncate';
  relations: PgRelation[];
}

/** A decoded pgoutput message (`begin`, `relation`, `insert`, …, `commit`, `message`). */
export type PgMessage =
  | { tag: 'begin'; commitLsn: string }
  | PgRelation
  | PgRowMessage
  | PgTruncate
  | { tag: 'message'; prefix: string; messageLsn: string }
  | { tag: 'commit'; commitLsn: string; commitEndLsn: string | null }
  | { tag: 'origin' | 'type' };

/**
 * What the stream hands over, in exactly the order the walsender sent it: decoded messages, and the
 * keepalives' WAL positions (everything before such a position has been sent, see SPEC.md R4).
 */
export type WalItem = { kind: 'data'; msg: PgMessage } | { kind: 'keepalive'; walEnd: bigint };

/** Options for {@link WalStream}. */
export interface WalStreamOptions {
  url: string;
  slot: string;
  publication: string;
  /** Where to ask Postgres to start (it starts at its slot's confirmed position when that is later). */
  startLsn: bigint;
  /** Called once per item, in order; a returned promise is awaited before the next item. */
  handler: (item: WalItem) => void | Promise<void>;
  /** Called once when the stream fails (connection lost, handler threw, server ended the stream). */
  onError: (error: Error) => void;
  /** Proactive standby status interval. Default 10 000 ms. */
  statusIntervalMs?: number;
  /** Queued messages at which the socket is paused (backpressure) / resumed. Default 1000 / 250. */
  highWater?: number;
  lowWater?: number;
}

const identity = (v: unknown) => v;
/** Microseconds between the Unix and the Postgres epoch (2000-01-01). */
const PG_EPOCH_MS = 946_684_800_000;

/**
 * pgoutput parsing with raw text values: the library decodes values with `pg`'s global type parsers, which
 * loses precision (timestamptz → Date). Swapping each relation's parsers when the relation message is
 * parsed keeps every later tuple as text.
 */
class RawPgoutputPlugin extends PgoutputPlugin {
  override parse(buffer: Buffer) {
    const msg = super.parse(buffer) as PgMessage;
    if (msg.tag === 'relation') for (const c of msg.columns) c.parser = identity;
    return msg as ReturnType<PgoutputPlugin['parse']>;
  }
}

type Queued = WalItem;

/**
 * A logical replication connection (pgoutput, protocol 1, messages on) that delivers WAL data and
 * keepalives through one ordered queue with socket-level backpressure, and reports exactly the flushed
 * position it is given (no "+1": Postgres skips a transaction whose commit record starts before the
 * confirmed position, so reporting one byte more would skip a commit that starts right there).
 */
export class WalStream {
  private readonly o: WalStreamOptions;
  private readonly plugin: RawPgoutputPlugin;
  private client: pg.Client | null = null;
  private queue: Queued[] = [];
  private head = 0;
  private draining = false;
  private paused = false;
  private stopped = false;
  private failed = false;
  private flushed = 0n;
  private sentFlushed = -1n;
  private timer: NodeJS.Timeout | null = null;

  constructor(options: WalStreamOptions) {
    this.o = options;
    this.plugin = new RawPgoutputPlugin({
      protoVersion: 1,
      publicationNames: [options.publication],
      messages: true,
    });
    this.flushed = options.startLsn;
  }

  /** Messages received and not yet handled. */
  get backlog(): number {
    return this.queue.length - this.head;
  }

  /** Connects and starts streaming; resolves once Postgres confirmed the start (CopyBoth). */
  async start(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.o.url,
      replication: 'database',
      options: SESSION_OPTIONS,
      keepAlive: true,
      application_name: 'syncline-sync: replication',
    } as pg.ClientConfig);
    this.client = client;
    client.on('error', (e) => this.fail(e));
    client.on('end', () => this.fail(new SyncError('REPL_STREAM_FAILED', 'replication connection closed')));
    try {
      await client.connect();
    } catch (e) {
      this.failed = true;
      await client.end().catch(() => undefined);
      throw e;
    }
    const connection = (client as unknown as { connection: ReplicationConnection }).connection;
    connection.on('copyData', (msg: { chunk: Buffer }) => this.receive(msg.chunk, connection));
    const started = new Promise<void>((resolve, reject) => {
      this.rejectStart = reject;
      connection.once('replicationStart', () => resolve());
    });
    const slot = this.o.slot.replace(/"/g, '');
    const pub = this.o.publication.replace(/'/g, "''");
    client
      .query(
        `START_REPLICATION SLOT "${slot}" LOGICAL ${bigIntToLsn(this.o.startLsn)} (proto_version '1', publication_names '${pub}', messages 'true')`,
      )
      .then(
        () => this.fail(new SyncError('REPL_STREAM_FAILED', 'the server ended the replication stream')),
        (e: Error) => this.fail(e),
      );
    await started;
    this.rejectStart = null;
    this.live = true;
    const interval = this.o.statusIntervalMs ?? 10_000;
    this.timer = setInterval(() => this.sendStatus(true), interval);
    this.timer.unref();
  }

  private rejectStart: ((e: Error) => void) | null = null;
  /** Started: failures go to `onError` (before that, `start()` rejects). */
  private live = false;

  /**
   * Records that every transaction whose commit starts before `lsn` is durably handled, and tells Postgres
   * now, or with the next keepalive reply / periodic status when `lazy` (positions passed without a storage
   * write need not cost a message each).
   */
  ack(lsn: bigint, options: { lazy?: boolean } = {}): void {
    if (lsn <= this.flushed) return;
    this.flushed = lsn;
    if (!options.lazy) this.sendStatus(false);
  }

  private sendStatus(force: boolean): void {
    if (this.stopped || this.failed || !this.client) return;
    if (!force && this.flushed === this.sentFlushed) return;
    const buf = Buffer.alloc(34);
    buf[0] = 0x72; // 'r'
    buf.writeBigUInt64BE(this.flushed, 1); // written
    buf.writeBigUInt64BE(this.flushed, 9); // flushed
    buf.writeBigUInt64BE(this.flushed, 17); // applied
    buf.writeBigUInt64BE(BigInt(Date.now() - PG_EPOCH_MS) * 1000n, 25);
    buf[33] = 0;
    try {
      (this.client as unknown as { connection: ReplicationConnection }).connection.sendCopyFromChunk(buf);
      this.sentFlushed = this.flushed;
    } catch (e) {
      this.fail(e as Error);
    }
  }

  private receive(chunk: Buffer, connection: ReplicationConnection): void {
    if (this.stopped || this.failed) return;
    try {
      this.enqueue(chunk, connection);
    } catch (e) {
      this.fail(e as Error);
    }
  }

  private enqueue(chunk: Buffer, connection: ReplicationConnection): void {
    if (chunk[0] === 0x77) {
      // XLogData: 'w', start (8), end (8), time (8), payload. Parsed now: the chunk is a view of pg's
      // receive buffer, which is reused for the next socket read.
      this.queue.push({ kind: 'data', msg: this.plugin.parse(chunk.subarray(25)) as PgMessage });
    } else if (chunk[0] === 0x6b) {
      // Primary keepalive: 'k', walEnd (8), time (8), reply requested (1)
      const walEnd = chunk.readBigUInt64BE(1);
      if (chunk[17] === 1) this.sendStatus(true);
      this.queue.push({ kind: 'keepalive', walEnd });
    } else return;
    if (!this.paused && this.backlog >= (this.o.highWater ?? 1000)) {
      this.paused = true;
      connection.stream.pause();
    }
    if (!this.draining) void this.drain(connection);
  }

  private async drain(connection: ReplicationConnection): Promise<void> {
    this.draining = true;
    try {
      while (this.head < this.queue.length && !this.stopped && !this.failed) {
        const item = this.queue[this.head]!;
        this.queue[this.head++] = undefined as unknown as Queued;
        if (this.head > 1024 && this.head * 2 > this.queue.length) {
          this.queue = this.queue.slice(this.head);
          this.head = 0;
        }
        const r = this.o.handler(item);
        if (r) await r;
        if (this.paused && this.backlog <= (this.o.lowWater ?? 250)) {
          this.paused = false;
          connection.stream.resume();
        }
      }
    } catch (e) {
      this.fail(e as Error);
    } finally {
      this.draining = false;
    }
  }

  private fail(e: Error): void {
    if (this.stopped || this.failed) return;
    this.failed = true;
    this.rejectStart?.(e);
    this.rejectStart = null;
    if (this.timer) clearInterval(this.timer);
    this.queue = [];
    this.head = 0;
    void this.client?.end().catch(() => undefined);
    if (this.live) this.o.onError(e);
  }

  /** Ends the connection; nothing more is handed over. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.rejectStart?.(new SyncError('REPL_STREAM_FAILED', 'replication stopped while starting'));
    this.rejectStart = null;
    if (this.timer) clearInterval(this.timer);
    this.queue = [];
    this.head = 0;
    await this.client?.end().catch(() => undefined);
  }
}

interface ReplicationConnection {
  on(event: 'copyData', fn: (msg: { chunk: Buffer }) => void): void;
  once(event: 'replicationStart', fn: () => void): void;
  sendCopyFromChunk(chunk: Buffer): void;
  stream: { pause(): void; resume(): void };
}
