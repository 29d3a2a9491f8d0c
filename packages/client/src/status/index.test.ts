import { describe, expect, it } from 'vitest';
import { createStatusStore } from './index.js';

describe('createStatusStore', () => {
  it('keeps the same snapshot object until the status changes, and notifies only then', () => {
    const store = createStatusStore({ authState: 'signed-in' });
    const calls: string[] = [];
    const off = store.subscribe(() => calls.push(store.getSnapshot().state));
    const first = store.getSnapshot();
    store.update({ sdk: { connected: false, connecting: false, downloading: false, uploading: false } });
    expect(store.getSnapshot()).toBe(first);
    store.update({
      sdk: { connected: true, connecting: false, downloading: false, uploading: false, hasSynced: true },
    });
    expect(store.getSnapshot()).not.toBe(first);
    expect(calls).toEqual(['synced']);
    off();
    store.update({ pendingUploads: 3 });
    expect(calls).toEqual(['synced']);
    expect(store.getSnapshot()).toMatchObject({ state: 'syncing', pendingUploads: 3 });
  });
});
