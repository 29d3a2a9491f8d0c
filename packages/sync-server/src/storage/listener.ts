import type { Logger } from '@syncline/errors';
import pg from 'pg';
import type { CheckpointEvent } from './events.js';
import type { BucketStore } from './store.js';

/**
 * For processes that serve streams without replicating: turns `NOTIFY syncline_checkpoint` into checkpoint
 * events by reading what changed since the last one. Reconnects (with backoff) when the connection is lost;
 * notifications missed meanwhile are covered by reading everything changed since the last seen head.
 */
export class CheckpointListener {
  private client: pg.Client | null = null;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;
  private retry: NodeJS.Timeout | null = null;
  private attempts = 0;
  connected = false;

  constructor(
    private readonly store: BucketStore,
    private last: bigint,
    private readonly onCheckpoint: (e: CheckpointEvent) => void,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    const options = (this.store.pool as unknown as { options: pg.ClientConfig }).options;
    const client = new pg.Client({ ...options });
    this.client = client;
    client.on('error', (e) => this.lost(e));
    client.on('end', () => this.lost(new Error('connection closed')));
    client.on('notification', () => this.read());
    await client.connect();
    await client.query('LISTEN syncline_checkpoint');
    this.connected = true;
    this.attempts = 0;
    this.read(); // whatever happened while not listening
  }

  private read(): void {
    this.running = this.running.then(async () => {
      try {
        const state = await this.store.state();
        if (!state) return;
        const { buckets, lookups } = await this.store.changedSince(this.last);
        this.last = state.head;
        this.onCheckpoint({
          head: state.head,
          lsn: state.lsn,
          buckets: new Map([...buckets].map(([b, s]) => [b, { ...s }])),
          lookups,
          compactionEpoch: state.compactionEpoch,
          compacted: new Set([...buckets].filter(([, s]) => s.compactedThrough > 0n).map(([b]) => b)),
        });
      } catch (e) {
        this.log.warn('reading a notified checkpoint failed', { error: e });
      }
    });
  }

  private lost(e: Error): void {
    if (this.stopped || !this.connected) return;
    this.connected = false;
    this.log.warn('checkpoint listener lost its connection; reconnecting', { error: e });
    void this.client?.end().catch(() => undefined);
    this.client = null;
    this.schedule();
  }

  private schedule(): void {
    const delay = Math.min(2000, 100 * 2 ** this.attempts++);
    this.retry = setTimeout(() => {
      this.retry = null;
      if (this.stopped) return;
      this.start().catch(() => {
        void this.client?.end().catch(() => undefined);
        this.client = null;
        this.schedule();
      });
    }, delay);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    await this.client?.end().catch(() => undefined);
    await this.running;
  }
}
