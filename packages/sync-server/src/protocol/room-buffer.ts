/**
 * A growing byte buffer with room kept in front, for lines whose header depends on what is written after it
 * (a data line's `next_after` is the last op's id): the body is written once as it arrives, the header last,
 * right before the body, and the line is a view from there. `bytesHint` sizes the buffer; it grows by
 * doubling when the body is larger.
 */
export class RoomBuffer {
  protected buf: Buffer;
  protected pos: number;

  constructor(
    protected readonly room: number,
    bytesHint: number,
  ) {
    this.buf = Buffer.allocUnsafe(room + Math.max(16, bytesHint));
    this.pos = room;
  }

  /** Bytes of body written so far. */
  get size(): number {
    return this.pos - this.room;
  }

  /** Makes room for `n` more bytes after the body. */
  protected ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
  }
}
