// Runs inside a dedicated worker: a tree on OPFS with nobody listening flushes its full memtable off the write
// path, through the engine's own flush worker (a worker this one starts), and reports what it saw.
import { LsmTree, WriteBatch } from '../../engine';
import { OpfsStorage } from '../../engine/storage/opfs';

const scope = self as unknown as {
  onmessage: ((message: MessageEvent<{ directory: string }>) => void) | null;
  postMessage(message: unknown): void;
};

const key = (i: number) => new TextEncoder().encode(`key${String(i).padStart(6, '0')}`);
const value = (i: number) => new Uint8Array(1024).fill(i & 0xff);

scope.onmessage = async ({ data: { directory } }) => {
  try {
    await OpfsStorage.destroy(directory);
    const db = await LsmTree.open(await OpfsStorage.open(directory), { memtableBytes: 256 * 1024 });
    const batch = new WriteBatch();
    // 1,000 records of ~1 KiB in batches of 50: the 256 KiB memtable fills three times.
    let immutableSeen = 0;
    for (let i = 0; i < 1000; i += 50) {
      batch.clear();
      for (let j = i; j < i + 50; j++) batch.put(key(j), value(j));
      await db.write(batch);
      if ((await db.property('num-immutable-mem-table')) === '1') immutableSeen++;
    }
    // Every key reads back while tables are still being written and after they are committed.
    const readBefore = await countGood(db);
    await db.waitForBackgroundWork();
    const tables = (await db.describe()).tables.length;
    const { flushes, flushesByWorker } = await db.stats();
    const readAfter = await countGood(db);
    await db.close();
    const files = await (await OpfsStorage.open(directory)).list();
    const again = await LsmTree.open(await OpfsStorage.open(directory), { flushWorker: false });
    const readReopened = await countGood(again);
    await again.close();
    scope.postMessage({ immutableSeen, readBefore, readAfter, readReopened, tables, flushes, flushesByWorker, files });
  } catch (error) {
    scope.postMessage({ error: String(error) });
  }
};

async function countGood(db: LsmTree): Promise<number> {
  let good = 0;
  for (let i = 0; i < 1000; i++) {
    const v = await db.get(key(i));
    if (v && v.length === 1024 && v[0] === (i & 0xff) && v[1023] === (i & 0xff)) good++;
  }
  return good;
}
