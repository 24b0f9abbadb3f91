// The flush off the write path in real Chromium (engine/background-flush.ts): the tree's worker starts the engine's
// flush worker, which writes the memtable's SSTable to OPFS on its own thread; the tree commits it, and every key
// reads back before, after and across a reopen.
import { expect, it } from 'vitest';

it('writes full memtables to tables from the flush worker, and loses nothing', async () => {
  const worker = new Worker(new URL('./background-flush.worker.ts', import.meta.url), { type: 'module' });
  const result = await new Promise<Record<string, unknown>>((resolve, reject) => {
    worker.onmessage = (message) => resolve(message.data);
    worker.onerror = (event) => reject(new Error(event.message));
    worker.postMessage({ directory: 'browser-test-background-flush' });
  });
  worker.terminate();
  expect(result.error).toBeUndefined();
  expect(result.immutableSeen).toBeGreaterThan(0);
  expect(result.readBefore).toBe(1000);
  expect(result.readAfter).toBe(1000);
  expect(result.readReopened).toBe(1000);
  expect(result.flushes).toBe(4); // 1,000 entries of 1,050 B through a 256 KiB memtable: four switches, each committed
  expect(result.flushesByWorker).toBe(4); // every table written by the engine's flush worker, none on the tree's thread
  expect(result.tables).toBeGreaterThanOrEqual(1);
  // Only what the manifest names: its tables, one WAL, one manifest (no orphan of the worker's).
  const files = result.files as string[];
  expect(files.filter((f) => f.endsWith('.log'))).toHaveLength(1);
  expect(files.filter((f) => f.startsWith('MANIFEST'))).toHaveLength(1);
  expect(files.filter((f) => f.endsWith('.sst'))).toHaveLength(result.tables as number);
});
