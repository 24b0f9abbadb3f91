// The subject: LsmTree on OPFS, called directly in this worker (the engine's own cost, without the app's
// postMessage hop). Measured operations use the engine as it ships: OpfsStorage, default durability.
import {
  type LsmOptions,
  LsmTree,
  MemoryStorage,
  mulberry32,
  type StorageFile,
  type TreeSettings,
  toHex,
  WriteBatch,
  yieldToEventLoop,
} from '@lsm-lab/engine';
import {
  bloomMayContain,
  buildBloom,
  hash32,
  parseDataBlock,
  readLog,
  SSTABLE_VERSION,
  SSTABLE_VERSION_FLAT,
  SstableBuilder,
  TRAILER_SIZE,
  unframeBlock,
} from '@lsm-lab/engine/inspect';
import { FileWrapper, OpfsStorage, readAt, StorageWrapper } from '@lsm-lab/engine/storage';
import {
  absentKey,
  bulkSample,
  copyDirectory,
  draws,
  freshDirectory,
  inTurns,
  KEY_BYTES,
  MiB,
  now,
  passes,
  phase,
  presentKey,
  removeEntry,
  shuffled,
  Timer,
  VALUE_BYTES,
  valuePool,
} from './common';
import type { Measures, Sample, Task, TaskResult } from './protocol';
import { rawCopy, sequentialRead } from './raw';

type LsmTask<K extends Task['kind']> = Extract<Task, { kind: K }>;

const GROUP_WATCHDOG_MS = 5000;

/**
 * Bench-only loading aid: a Storage whose WAL files skip flush() while `relaxed` is set. Loading 1M keys with
 * a flush per put would take ~7 minutes (docs/platform.md: ~2,500 flushes/s); with this, a load costs what the
 * engine does besides that flush. SSTables and the manifest are always flushed for real, and every load ends
 * with relaxed = false and db.flush(), so the measured database is fully durable before it is measured.
 */
class RelaxedWalStorage extends StorageWrapper {
  relaxed = true;

  override async open(name: string, options?: { create?: boolean }): Promise<StorageFile> {
    const file = await super.open(name, options);
    return name.endsWith('.log') ? new RelaxedWalFile(file, this) : file;
  }
}

/** A WAL whose flush() does nothing while its storage is relaxed. */
class RelaxedWalFile extends FileWrapper {
  readonly #storage: RelaxedWalStorage;

  constructor(inner: StorageFile, storage: RelaxedWalStorage) {
    super(inner);
    this.#storage = storage;
  }

  override flush(): void {
    if (!this.#storage.relaxed) this.inner.flush();
  }
}

async function freshStorage(name: string): Promise<OpfsStorage> {
  await OpfsStorage.destroy(name);
  return OpfsStorage.open(name);
}

export interface LoadReport {
  keys: number;
  loadMs: number;
  /** Time inside flushes and compactions during the load (from the engine's events). */
  flushMs: number;
  compactionMs: number;
  flushes: number;
  compactions: number;
  compactionBytesWritten: number;
  compactionBytesRead: number;
}

/**
 * Loads keys 0 .. n-1 (present keys) in a seeded random order through db.put, with WAL flushes relaxed (see
 * RelaxedWalStorage), then flushes the memtable and compacts for real, and closes.
 */
export async function load(dir: string, n: number, settings: Partial<TreeSettings>): Promise<LoadReport> {
  const storage = new RelaxedWalStorage(await freshStorage(dir));
  const db = await LsmTree.open(storage, settings);
  const phases = { flushMs: 0, compactionMs: 0, flushes: 0, compactions: 0, bytesRead: 0, bytesWritten: 0, since: 0 };
  db.subscribe((event) => {
    if (event.type === 'flush.begin' || event.type === 'compaction.begin') phases.since = now();
    else if (event.type === 'flush.end') {
      phases.flushMs += now() - phases.since;
      phases.flushes++;
    } else if (event.type === 'compaction.end') {
      phases.compactionMs += now() - phases.since;
      phases.compactions++;
      phases.bytesRead += event.bytesRead;
      phases.bytesWritten += event.bytesWritten;
    }
  });
  const order = shuffled(n, 1);
  const values = valuePool(VALUE_BYTES);
  const started = now();
  for (let i = 0; i < n; i++) {
    const j = order[i]!;
    await db.put(presentKey(j), values[j & 255]!);
    // A turn of the event loop now and then: the driver's memory sampler (CDP) and a terminate() get in.
    if ((i & 4095) === 4095) await yieldToEventLoop();
  }
  storage.relaxed = false;
  await db.flush(); // memtable -> SSTable, and any compaction it triggers: all flushed for real
  await db.compact();
  const loadMs = now() - started;
  await db.close();
  return {
    keys: n,
    loadMs,
    flushMs: phases.flushMs,
    compactionMs: phases.compactionMs,
    flushes: phases.flushes,
    compactions: phases.compactions,
    compactionBytesWritten: phases.bytesWritten,
    compactionBytesRead: phases.bytesRead,
  };
}

/** The engine's default put: resolves after its WAL record is written and flushed. One at a time. */
export async function lsmPut(task: LsmTask<'lsm.put'>): Promise<TaskResult> {
  const values = valuePool(task.valueBytes);
  const keys = Array.from({ length: task.n }, (_, i) => presentKey(i));
  const samples: Sample[] = [];
  for (let rep = 0; rep < task.reps; rep++) {
    const db = await LsmTree.open(await freshStorage('bench-lsm-put'));
    const timer = new Timer(task.n);
    phase('measure:put');
    timer.start();
    for (let i = 0; i < task.n; i++) await timer.time(() => db.put(keys[i]!, values[i & 255]!));
    samples.push(timer.sample(task.n, task.n * (KEY_BYTES + task.valueBytes)));
    await db.close();
  }
  await OpfsStorage.destroy('bench-lsm-put');
  return { measures: { put: samples }, info: { options: 'defaults (memtable 4 MiB)' } };
}

/**
 * Write batches: `batch` puts per WriteBatch, one db.write() each (one WAL record, one flush), default
 * durability. Building the batch (it copies keys and values) is timed too, as SQLite's binds are.
 */
export async function lsmBatchPut(task: LsmTask<'lsm.batch'>): Promise<TaskResult> {
  const values = valuePool(task.valueBytes);
  const keys = Array.from({ length: task.n }, (_, i) => presentKey(i));
  const samples: Sample[] = [];
  for (let rep = 0; rep < task.reps; rep++) {
    const db = await LsmTree.open(await freshStorage('bench-lsm-batch'));
    const timer = new Timer(Math.ceil(task.n / task.batch));
    phase('measure:batch-put');
    timer.start();
    const batch = new WriteBatch();
    for (let i = 0; i < task.n; i += task.batch) {
      const t0 = now();
      batch.clear();
      for (let j = i; j < Math.min(task.n, i + task.batch); j++) batch.put(keys[j]!, values[j & 255]!);
      await db.write(batch);
      timer.record(now() - t0);
    }
    samples.push(timer.sample(task.n, task.n * (KEY_BYTES + task.valueBytes)));
    const last = keys[task.n - 1]!;
    if (!(await db.get(last))) throw new Error('the last batched key is missing');
    await db.close();
  }
  await OpfsStorage.destroy('bench-lsm-batch');
  return { measures: { put: samples }, info: { batch: task.batch, durability: 'durable' } };
}

/**
 * Group commit: { durability: 'group' }, puts issued `batch` at a time without awaiting each (so the engine
 * puts them in one WAL write + flush), awaiting every batch. (If `db.settings` had no `durability`, the task
 * would report itself unavailable and the report show "n/a".)
 */
export async function lsmGroupPut(task: LsmTask<'lsm.groupPut'>): Promise<TaskResult> {
  const values = valuePool(task.valueBytes);
  const keys = Array.from({ length: task.n }, (_, i) => presentKey(i));
  const samples: Sample[] = [];
  for (let rep = 0; rep < task.reps; rep++) {
    const db = await LsmTree.open(await freshStorage('bench-lsm-group'));
    const settings = db.settings as unknown as Record<string, unknown>;
    if (!('durability' in settings)) {
      await db.close();
      await OpfsStorage.destroy('bench-lsm-group');
      return {
        measures: {},
        info: {},
        unavailable: "the engine has no 'durability' setting yet (no group commit): db.settings lacks it",
      };
    }
    try {
      await db.setOptions({ durability: 'group' } as unknown as Partial<TreeSettings>);
    } catch (error) {
      await db.close();
      return { measures: {}, info: {}, unavailable: `setOptions({ durability: 'group' }) refused: ${String(error)}` };
    }
    const timer = new Timer(Math.ceil(task.n / task.batch));
    phase('measure:group-put');
    timer.start();
    for (let i = 0; i < task.n; i += task.batch) {
      const end = Math.min(task.n, i + task.batch);
      const puts: Array<Promise<void>> = [];
      const t0 = now();
      for (let j = i; j < end; j++) puts.push(db.put(keys[j]!, values[j & 255]!));
      // A group waits at most groupCommitMs (5 ms by default) for its flush: seconds mean the mode hangs.
      let watchdog: ReturnType<typeof setTimeout> | undefined;
      const hung = new Promise<'hung'>((resolve) => {
        watchdog = setTimeout(() => resolve('hung'), GROUP_WATCHDOG_MS);
      });
      const outcome = await Promise.race([Promise.all(puts).then(() => 'ok' as const), hung]);
      clearTimeout(watchdog);
      if (outcome === 'hung') {
        return {
          measures: {},
          info: { batch: task.batch, acknowledged: i },
          failed: `group-commit puts hung: a batch of ${end - i} puts (after ${i} acknowledged) did not resolve within ${GROUP_WATCHDOG_MS / 1000} s`,
        };
      }
      timer.record(now() - t0);
    }
    samples.push(timer.sample(task.n, task.n * (KEY_BYTES + task.valueBytes)));
    await db.close();
  }
  await OpfsStorage.destroy('bench-lsm-group');
  return { measures: { put: samples }, info: { batch: task.batch, durability: 'group' } };
}

/** Tables per level, from the engine's own description. */
async function layout(db: LsmTree): Promise<Record<string, number>> {
  const levels: Record<string, number> = {};
  for (const table of (await db.describe()).tables) levels[`L${table.level}`] = (levels[`L${table.level}`] ?? 0) + 1;
  return levels;
}

/** Averages of what lookups touched: tables whose range held the key, bloom skips, blocks read. */
async function readPath(db: LsmTree, keys: Uint8Array[]): Promise<Record<string, number>> {
  let tables = 0;
  let skips = 0;
  let blocks = 0;
  for (const key of keys) {
    const r = await db.lookup(key, { trace: false });
    tables += r.tablesChecked;
    skips += r.bloomSkips;
    blocks += r.blocksRead;
  }
  const n = Math.max(1, keys.length);
  return { tablesPerGet: tables / n, bloomSkipsPerGet: skips / n, blocksPerGet: blocks / n };
}

/**
 * Loads n keys, reopens the database with plain OpfsStorage, warms up with one pass of gets, then per rep:
 * `gets` random present keys, optionally as many absent keys, optionally a full scan.
 */
export async function lsmRead(task: LsmTask<'lsm.read'>): Promise<TaskResult> {
  const dir = `bench-lsm-read-${task.n}-${task.bloomBitsPerKey}`;
  const settings: LsmOptions = { memtableBytes: task.memtableBytes, bloomBitsPerKey: task.bloomBitsPerKey };
  phase('load');
  const loaded = await load(dir, task.n, settings);

  const openedAt = now();
  const db = await LsmTree.open(await OpfsStorage.open(dir), {
    ...settings,
    ...(task.cacheAll ? { blockCacheBytes: task.cacheAll } : {}),
  });
  const openMs = now() - openedAt;
  const levels = await layout(db);
  const measures: Measures = { get: [] };
  const rowBytes = KEY_BYTES + VALUE_BYTES;

  // Warm-up: random gets, or with cacheAll every key once, so that every block is in the cache.
  const warm = task.cacheAll ? Array.from({ length: task.n }, (_, j) => j) : draws(task.gets, task.n, 99);
  for (const j of warm) if (!(await db.get(presentKey(j)))) throw new Error(`present key ${j} not found`);
  phase('measure:get');
  for (let rep = 0; rep < task.reps; rep++) {
    const keys = Array.from(draws(task.gets, task.n, 100 + rep), presentKey);
    let found = 0;
    const sample = await passes(task.gets, task.gets * rowBytes, async (i) => {
      if (await db.get(keys[i]!)) found++;
    });
    measures.get!.push(sample);
    if (found !== 2 * task.gets) throw new Error(`only ${found / 2} of ${task.gets} present keys found`);
  }
  const info: Record<string, unknown> = {
    load: loaded,
    openMs,
    levels,
    presentPath: await readPath(db, Array.from(draws(1000, task.n, 7), presentKey)),
  };

  if (task.negative) {
    phase('measure:negative-get');
    measures.negative = [];
    for (let rep = 0; rep < task.reps; rep++) {
      const keys = Array.from(draws(task.gets, task.n, 200 + rep), absentKey);
      let found = 0;
      const sample = await passes(task.gets, task.gets * KEY_BYTES, async (i) => {
        if (await db.get(keys[i]!)) found++;
      });
      measures.negative.push(sample);
      if (found !== 0) throw new Error(`${found} absent keys were found`);
    }
    info.absentPath = await readPath(db, Array.from(draws(1000, task.n, 8), absentKey));
  }

  if (task.scan) {
    phase('measure:scan');
    measures.scan = [];
    for (let rep = 0; rep < task.reps; rep++) {
      const started = now();
      let count = 0;
      let bytes = 0;
      for await (const [key, value] of db.scan()) {
        count++;
        bytes += key.length + value.length;
      }
      measures.scan.push(bulkSample(count, bytes, started));
      if (count !== task.n) throw new Error(`scan returned ${count} of ${task.n} pairs`);
    }
  }

  if (task.breakdown) {
    phase('load');
    const breakdown = await getBreakdown(db, task.gets);
    info.breakdown = breakdown.info;
    Object.assign(measures, breakdown.measures);
    info.sstableBytes = await sstableBytesByFormat(Math.min(task.n, SSTABLE_BYTES_KEYS));
  }
  await db.close();
  // The floor of a get that misses the cache: random reads of one block's size over the tables' own files.
  if (task.n >= 1_000_000 && !task.cacheAll) info.rawBlockReadUs = await rawBlockReads(dir, task.gets);
  await OpfsStorage.destroy(dir);
  return { measures, info };
}

/**
 * Random 4,132-byte reads (a data block and its frame) at random offsets of the SSTables in `dir`, µs per read:
 * into one reused buffer, and into 8,000 buffers in turn (as blocks read into a cache's pooled buffers land:
 * memory the CPU has not touched lately).
 */
async function rawBlockReads(dir: string, count: number): Promise<{ oneBuffer: number; manyBuffers: number }> {
  const storage = await OpfsStorage.open(dir);
  const files: StorageFile[] = [];
  for (const name of await storage.list()) if (name.endsWith('.sst')) files.push(await storage.open(name));
  const sizes = files.map((file) => file.getSize());
  // Reads land in files in proportion to their size, as random keys do (and never past a small file's end).
  const total = sizes.reduce((sum, size) => sum + size, 0);
  const one = new Uint8Array(4132);
  const many = Array.from({ length: 8000 }, () => new Uint8Array(4132));
  const random = mulberry32(11);
  const time = (target: (i: number) => Uint8Array): number => {
    const started = now();
    for (let i = 0; i < count; i++) {
      let at = Math.floor(random() * total);
      let f = 0;
      while (at >= sizes[f]!) at -= sizes[f++]!;
      files[f]!.read(target(i), { at: Math.max(0, Math.min(at, sizes[f]! - 4132)) });
    }
    return ((now() - started) * 1000) / count;
  };
  time(() => one); // warm-up
  const result = { oneBuffer: time(() => one), manyBuffers: time((i) => many[(i * 7919) % many.length]!) };
  for (const file of files) file.close();
  return result;
}

/** The key set sstableBytesByFormat builds (at most): enough for the ratio; more only costs memory. */
const SSTABLE_BYTES_KEYS = 100_000;

/**
 * One SSTable of `entries` built by the engine's builder on MemoryStorage (4 KiB blocks, bloom 10 bits/key, no
 * compression), in format `formatVersion`: its bytes, and the bytes of its one data block (when it has one).
 */
async function buildTable(
  entries: (j: number) => { key: Uint8Array; value: Uint8Array },
  count: number,
  formatVersion: number,
  blockSize = 4096,
): Promise<{ size: number; bytes: Uint8Array }> {
  const storage = new MemoryStorage();
  const file = await storage.open('format.sst', { create: true });
  const builder = new SstableBuilder(file, 'format.sst', {
    blockSize,
    bloomBitsPerKey: 10,
    compression: 'none',
    formatVersion,
  });
  for (let j = 0; j < count; j++) builder.add({ op: 'put', seq: j + 1, ...entries(j) });
  const { size } = builder.finish();
  return { size, bytes: storage.snapshot('format.sst') };
}

/**
 * SSTable bytes before (format 1: whole keys) and after (format 2: prefix-compressed data blocks, a restart point
 * every 16 keys) on the bench's key set ("k" + 15 digits), with its 100-byte values and with 8-byte ones (where
 * the keys weigh more).
 */
async function sstableBytesByFormat(
  n: number,
): Promise<Record<string, { keys: number; before: number; after: number }>> {
  const values = valuePool(VALUE_BYTES);
  const out: Record<string, { keys: number; before: number; after: number }> = {};
  for (const valueBytes of [VALUE_BYTES, 8]) {
    const entries = (j: number) => ({ key: presentKey(j), value: values[j & 255]!.subarray(0, valueBytes) });
    const before = (await buildTable(entries, n, SSTABLE_VERSION_FLAT)).size;
    const after = (await buildTable(entries, n, SSTABLE_VERSION)).size;
    out[`${KEY_BYTES}-byte keys, ${valueBytes}-byte values`] = { keys: n, before, after };
  }
  return out;
}

/**
 * Where a get's time goes: the engine's own steps timed alone on a block like the ones it reads (4 KiB of
 * 16-byte keys and 100-byte values, built by the engine's builder in the format it writes): reading the block from OPFS, verifying its CRC32C, parsing it into entries, a bloom probe,
 * the key's hex string; and a get answered by the memtable (the queue + API path without any SSTable).
 */
async function getBreakdown(
  db: LsmTree,
  count: number,
): Promise<{ measures: Measures; info: Record<string, unknown> }> {
  const values = valuePool(VALUE_BYTES);
  // One table of one data block (the builder closes a block once it reaches 4 KiB: so many entries fill one).
  const perBlock = Math.ceil(4096 / (KEY_BYTES + VALUE_BYTES));
  const table = await buildTable(
    (j) => ({ key: presentKey(j), value: values[j & 255]! }),
    perBlock,
    SSTABLE_VERSION,
    1 << 20,
  );
  const tail = new DataView(table.bytes.buffer, table.bytes.byteOffset, table.bytes.byteLength);
  const footerAt = table.size - TRAILER_SIZE - tail.getUint32(table.size - TRAILER_SIZE + 4, true);
  const framed = table.bytes.slice(0, tail.getUint32(footerAt, true)); // the data block: bytes 0 .. the index
  const body = unframeBlock(framed, 'blocks.dat', 0, 'data block');
  const layout = { format: SSTABLE_VERSION, raw: true };
  const entriesPerBlock = parseDataBlock(body, 'blocks.dat', 0, undefined, layout).count;

  // A scratch file of 4,096 such blocks (16 MiB), read at random block offsets, as a get reads an SSTable.
  const dir = await freshDirectory('bench-lsm-breakdown');
  const file = await (await dir.getFileHandle('blocks.dat', { create: true })).createSyncAccessHandle();
  const blocks = 4096;
  for (let b = 0; b < blocks; b++) file.write(framed, { at: b * framed.length });
  file.flush();
  const picks = draws(count, blocks, 5);
  const step = async (name: string, fn: (i: number) => unknown): Promise<Sample> => {
    for (let i = 0; i < Math.min(count, 2000); i++) fn(i); // warm-up
    return passes(count, name === 'read' ? count * framed.length : 0, fn);
  };
  const storageFile = file as unknown as StorageFile;
  const scratch = new Uint8Array(framed.length);
  const key = presentKey(7);
  const filter = buildBloom(
    Array.from({ length: 10_000 }, (_, i) => hash32(presentKey(i))),
    10,
  );
  const measures: Measures = {
    'step:block-read': [
      await step('read', (i) => readAt(storageFile, 'blocks.dat', framed.length, picks[i]! * framed.length)),
    ],
    'step:block-read-reused': [await step('read', (i) => file.read(scratch, { at: picks[i]! * framed.length }))],
    'step:block-read-1k': [
      await step('read', (i) => file.read(scratch.subarray(0, 1024), { at: picks[i]! * framed.length })),
    ],
    'step:alloc-4k': [await step('alloc', () => new Uint8Array(framed.length))],
    'step:crc-check': [await step('crc', () => unframeBlock(framed, 'blocks.dat', 0, 'data block'))],
    'step:parse-block': [await step('parse', () => parseDataBlock(body, 'blocks.dat', 0, undefined, layout))],
    'step:bloom-probe': [await step('bloom', () => bloomMayContain(filter, key))],
    'step:key-hex': [await step('hex', () => toHex(key))],
  };
  file.close();
  await removeEntry('bench-lsm-breakdown');

  // Memtable hits: the path every get takes before any SSTable (queue, checks, hex, skip list, copy). 1,000
  // puts (133 KB) stay below the smallest memtable limit used here (256 KiB), so no flush moves them away.
  const fresh = Array.from({ length: Math.min(count, 1000) }, (_, i) => absentKey(i));
  for (const k of fresh) await db.put(k, values[0]!);
  const where = await db.lookup(fresh[fresh.length - 1]!, { trace: false });
  if (where.source === 'memtable') {
    const rounds = Math.max(1, Math.floor(count / fresh.length));
    const total = fresh.length * rounds;
    measures['step:memtable-get'] = [await passes(total, 0, (i) => db.get(fresh[i % fresh.length]!))];
  }
  return { measures, info: { blockBytes: framed.length, entriesPerBlock } };
}

/**
 * WAL replay: n records written to the WAL of a memtable big enough never to flush, the database closed (the
 * memtable is not flushed on close), then LsmTree.open timed: it reads, checks and replays every record. Each
 * repetition (a pair of the target) takes `turns` turns of replay and checked read, in alternating order, and sums
 * each side's times: one replay is tens of milliseconds, and a single garbage collection or slow stretch of the
 * machine moved a pair of one replay and one read from 0.21x to 0.70x.
 */
export async function lsmRecovery(task: LsmTask<'lsm.recovery'>): Promise<TaskResult> {
  const dir = 'bench-lsm-recovery';
  const settings: LsmOptions = { memtableBytes: 1 << 30 };
  phase('load');
  const storage = new RelaxedWalStorage(await freshStorage(dir));
  const db = await LsmTree.open(storage, settings);
  const values = valuePool(VALUE_BYTES);
  const order = shuffled(task.n, 3);
  for (let i = 0; i < task.n; i++) {
    if (i === task.n - 1) storage.relaxed = false; // the last put flushes the whole WAL
    await db.put(presentKey(order[i]!), values[i & 255]!);
    if ((i & 4095) === 4095) await yieldToEventLoop();
  }
  await db.close();
  const plain = await OpfsStorage.open(dir);
  const wal = (await plain.list()).find((name) => name.endsWith('.log'));
  if (!wal) throw new Error('no WAL after the load');
  const walFile = await plain.open(wal);
  const walBytes = walFile.getSize();
  walFile.close();

  const replay = async (): Promise<number> => {
    phase('measure:replay');
    const started = now();
    const reopened = await LsmTree.open(await OpfsStorage.open(dir), settings);
    const ms = now() - started;
    phase('load');
    const { entries } = await reopened.peekMemtable(0);
    await reopened.close();
    if (entries !== task.n) throw new Error(`replayed ${entries} of ${task.n} records`);
    return ms;
  };
  // The ceiling of any checked replay: the log read into memory and every record's checksum verified, with
  // nothing done with the records.
  const checkedRead = async (): Promise<number> => {
    const directory = await (await navigator.storage.getDirectory()).getDirectoryHandle(dir);
    const handle = await (await directory.getFileHandle(wal)).createSyncAccessHandle();
    const checkedAt = now();
    const bytes = new Uint8Array(handle.getSize());
    handle.read(bytes, { at: 0 });
    const { records } = readLog(bytes);
    const ms = now() - checkedAt;
    handle.close();
    if (records.length !== task.n) throw new Error(`the checked read found ${records.length} of ${task.n} records`);
    return ms;
  };
  // Warm-up, untimed, both sides alike, as long as a pair: with one turn of it the first two pairs still replayed
  // 10-30 % slower than the rest (the JIT had not finished with the open path).
  for (let turn = 0; turn < task.turns; turn++) {
    await replay();
    await checkedRead();
  }

  const measures: Measures = { replay: [], 'raw-read': [], 'checked-read': [] };
  for (let rep = 0; rep < task.reps; rep++) {
    let replayMs = 0;
    let checkedMs = 0;
    await inTurns(
      task.turns,
      async () => {
        replayMs += await replay();
      },
      async () => {
        checkedMs += await checkedRead();
      },
    );
    measures.replay!.push({ ops: task.n * task.turns, bytes: walBytes * task.turns, ms: replayMs });
    measures['checked-read']!.push({ ops: task.n * task.turns, bytes: walBytes * task.turns, ms: checkedMs });
    // A memcpy anchor for the report, no target reads it: once per repetition.
    const directory = await (await navigator.storage.getDirectory()).getDirectoryHandle(dir);
    const handle = await (await directory.getFileHandle(wal)).createSyncAccessHandle();
    measures['raw-read']!.push({ ...sequentialRead(handle), ops: task.n });
    handle.close();
  }
  await OpfsStorage.destroy(dir);
  return { measures, info: { wal, walBytes, records: task.n, turns: task.turns } };
}

/**
 * Compaction throughput: n keys loaded once with compaction off (L0 fills with overlapping tables) and kept as a
 * template; each compaction runs on a fresh copy of it: compaction switched to leveled and db.compact() timed,
 * bytes from stats(). The anchor copies the same byte counts. Each repetition (a pair of the target) takes `turns`
 * turns of compaction and copy, in alternating order, and sums each side's times: the copy is ~15-45 ms, and one
 * compaction against one copy moved a pair from 0.077x to 0.148x within a run.
 */
export async function lsmCompaction(task: LsmTask<'lsm.compaction'>): Promise<TaskResult> {
  const template = 'bench-lsm-compaction-loaded';
  const dir = 'bench-lsm-compaction';
  const settings: LsmOptions = { memtableBytes: task.memtableBytes, compaction: 'off' };
  phase('load');
  const loaded = await load(template, task.n, settings);
  const info: Record<string, unknown> = { loadMs: loaded.loadMs, memtableMiB: task.memtableBytes / MiB };
  let bytes: { read: number; written: number } | undefined;
  const compaction = async (): Promise<number> => {
    phase('load');
    await copyDirectory(template, dir);
    const db = await LsmTree.open(await OpfsStorage.open(dir), settings);
    const before = await layout(db);
    await db.setOptions({ compaction: 'leveled' });
    phase('measure:compact');
    const started = now();
    const ran = await db.compact();
    const ms = now() - started;
    phase('load');
    const stats = await db.stats();
    const after = await layout(db);
    await db.close();
    const done = { read: stats.compactionBytesRead, written: stats.compactionBytesWritten };
    if (bytes && (bytes.read !== done.read || bytes.written !== done.written)) {
      throw new Error(
        `compactions of the same tables moved ${done.read}/${done.written} bytes, then ${bytes.read}/${bytes.written}`,
      );
    }
    bytes = done;
    Object.assign(info, {
      layoutBefore: before,
      layoutAfter: after,
      compactions: ran,
      bytesRead: done.read,
      bytesWritten: done.written,
    });
    return ms;
  };
  const copy = async (): Promise<number> => {
    const directory = await freshDirectory('bench-raw-copy');
    return (await rawCopy(directory, bytes!.read, bytes!.written)).ms;
  };
  // Warm-up, untimed, both sides alike, as long as a pair (as recovery's); it also gives the byte counts the copies
  // move.
  for (let turn = 0; turn < task.turns; turn++) {
    await compaction();
    await copy();
  }

  const measures: Measures = { 'compaction-write': [], 'compaction-read': [], 'raw-copy': [] };
  for (let rep = 0; rep < task.reps; rep++) {
    let compactMs = 0;
    let copyMs = 0;
    await inTurns(
      task.turns,
      async () => {
        compactMs += await compaction();
      },
      async () => {
        copyMs += await copy();
      },
    );
    const { read, written } = bytes!;
    measures['compaction-write']!.push({ ops: task.n * task.turns, bytes: written * task.turns, ms: compactMs });
    measures['compaction-read']!.push({ ops: task.n * task.turns, bytes: read * task.turns, ms: compactMs });
    measures['raw-copy']!.push({ ops: 0, bytes: written * task.turns, ms: copyMs });
  }
  await OpfsStorage.destroy(dir);
  await OpfsStorage.destroy(template);
  await removeEntry('bench-raw-copy');
  return { measures, info: { ...info, turns: task.turns } };
}
