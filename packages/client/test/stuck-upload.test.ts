/**
 * A transaction the server keeps failing (issue 12). Invariants: a transaction answered with server
 * errors (5xx but 502/503/504) again and again is reported in the status after `stuckAfter` attempts —
 * code, message, since when — and stays queued until the user moves it aside (then it is in
 * `sync_rejections` and the writes behind it go through); outages (503, dropped connections) are retried
 * for as long as they last, never reported as stuck, and nothing is lost.
 */

import { type ApiUser, signUp, waitFor, useTestDatabase as withTestDatabase } from '@syncline/test-utils';
import { documents } from '@syncline/test-utils/schema';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Device, newDoc, openDevice, pgDocs, prepareDatabase, type Stack, startStack } from './stack.js';

const db = withTestDatabase('client_stuck');
let pool: pg.Pool;
let stack: Stack;
let alice: ApiUser;
let device: Device;
const UPLOAD = '/api/powersync/upload';
const uploads = () => stack.proxy.requests.filter((r) => r.method === 'PUT' && r.path === UPLOAD);

beforeAll(async () => {
  pool = await prepareDatabase(db.url);
  stack = await startStack(db.url, pool);
  alice = await signUp(stack.api.url, 'alice');
  device = await openDevice('alice-stuck', stack, alice.sessionToken, {
    upload: { backoffMaxMs: 300, stuckAfter: 3 },
  });
  await device.until(() => device.client.status.getSnapshot().state === 'synced');
}, 120_000);
afterAll(async () => {
  await device?.close();
  await stack?.stop();
  await pool?.end();
});

describe('stuck uploads', () => {
  it('outages are retried without end, never reported as stuck, and lose nothing', async () => {
    stack.proxy.inject('PUT', UPLOAD, [
      ...Array(8).fill('status-503'),
      'reset-before',
      'reset-after',
      ...Array(4).fill('status-503'),
    ]);
    const before = uploads().length;
    await device.client.db.insert(documents.sqlite).values(newDoc('t-1', 'during an outage'));
    await device.client.db.insert(documents.sqlite).values(newDoc('t-2', 'during an outage'));
    await waitFor(async () => (await pgDocs(pool, ['t-1', 't-2'])).length === 2, {
      timeout: 30_000,
      message: 'both writes uploaded after the outage',
    });
    await waitFor(async () => (await device.client.powersync.getUploadQueueStats()).count === 0, {
      timeout: 30_000,
      message: 'upload queue empty',
    });
    expect(uploads().length - before).toBeGreaterThanOrEqual(14);
    expect(device.client.status.getSnapshot().stuckUpload).toBeNull();
    expect(await device.client.rejections.count()).toBe(0);
  });

  it('a transaction failing with 500 again and again is reported, kept, and moved aside only on request', async () => {
    stack.proxy.inject('PUT', UPLOAD, Array(200).fill('status-500'));
    const before = Date.now();
    // s-1 first (the one the server fails on), s-2 behind it in the queue.
    await device.client.db.insert(documents.sqlite).values(newDoc('s-1', 'the server fails on this'));
    await device.client.db.insert(documents.sqlite).values(newDoc('s-2', 'queued behind it'));
    await device.until(() => device.client.status.getSnapshot().stuckUpload !== null, {
      message: 'stuck upload reported',
    });
    const stuck = device.client.status.getSnapshot().stuckUpload!;
    expect(stuck.code).toBe('UPLOAD_INTERNAL');
    expect(stuck.message).toMatch(/injected|server/i);
    expect(stuck.attempts).toBeGreaterThanOrEqual(3);
    expect(stuck.since.getTime()).toBeGreaterThanOrEqual(before - 1000);
    // Isolated: the head transaction is sent alone once a request with several failed.
    const last = JSON.parse(uploads().at(-1)!.body) as { transactions: { ops: { id: string }[] }[] };
    expect(last.transactions.map((t) => t.ops[0]!.id)).toEqual(['s-1']);
    // Still queued and retried until the user acts.
    const queued = (await device.client.powersync.getUploadQueueStats()).count;
    expect(queued).toBe(2);
    expect(await device.client.rejections.count()).toBe(0);

    expect(await device.client.moveStuckUploadAside()).toBe(true);
    const [rejection] = await device.client.rejections.list();
    expect(rejection).toMatchObject({ rowId: 's-1', code: 'UPLOAD_INTERNAL', op: 'PUT' });
    expect(rejection!.details).toMatchObject({ stuck: true });
    expect(device.client.status.getSnapshot().stuckUpload).toBeNull();
    stack.proxy.clear();
    await waitFor(async () => (await pgDocs(pool, ['s-2'])).length === 1, { message: 's-2 uploaded' });
    expect(await pgDocs(pool, ['s-1'])).toEqual([]);
    await device.until(() => device.client.status.getSnapshot().state === 'synced');
    expect(await device.client.moveStuckUploadAside()).toBe(false);
  });
});
