/**
 * Sync lines as the wire-level tests read them (NDJSON lines, or BSON documents decoded). A line carries
 * one of these keys; the tests check which before reading it, so each is typed as present.
 */
export interface WireLine {
  checkpoint: WireCheckpoint;
  data: { bucket: string; data: WireOp[] };
  checkpoint_complete: { last_op_id: string };
  partial_checkpoint_complete: { last_op_id: string; priority: number };
  token_expires_in: number;
}

export interface WireCheckpoint {
  last_op_id: string;
  write_checkpoint?: string;
  buckets: { bucket: string; checksum: number; count: number; priority: number }[];
  streams: { name: string; is_default: boolean; errors: unknown[] }[];
}

export interface WireOp {
  op_id: string;
  op: string;
  object_type?: string;
  object_id?: string;
  checksum: number;
  /** The row as JSON text (PUT ops, the only ones these tests read). */
  data: string;
}

/** Reads NDJSON lines from a stream until `stop` says so, then aborts. */
export async function readLines(res: Response, stop: (lines: WireLine[]) => boolean): Promise<WireLine[]> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const lines: WireLine[] = [];
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += decoder.decode(value, { stream: true });
    let nl = buf.indexOf('\n');
    while (nl >= 0) {
      lines.push(JSON.parse(buf.slice(0, nl)));
      buf = buf.slice(nl + 1);
      nl = buf.indexOf('\n');
    }
    if (stop(lines)) break;
  }
  await reader.cancel();
  return lines;
}
