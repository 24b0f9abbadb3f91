// The browser's own database: IndexedDB in this worker, one object store, binary keys (the same 16 bytes),
// values stored as Uint8Array. Durable writes use transactions with durability 'strict'.
import {
  bulkSample,
  draws,
  KEY_BYTES,
  now,
  passes,
  presentKey,
  shuffled,
  Timer,
  VALUE_BYTES,
  valuePool,
} from './common';
import type { Sample, Task, TaskResult } from './protocol';

type IdbTask<K extends Task['kind']> = Extract<Task, { kind: K }>;

const STORE = 'kv';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
  });
}

async function freshDb(name: string): Promise<IDBDatabase> {
  await request(indexedDB.deleteDatabase(name));
  const open = indexedDB.open(name, 1);
  open.onupgradeneeded = () => open.result.createObjectStore(STORE);
  return request(open);
}

async function drop(db: IDBDatabase): Promise<void> {
  db.close();
  await request(indexedDB.deleteDatabase(db.name));
}

/** One put per transaction, durability 'strict': resolves once the commit is on disk. */
export async function idbPut(task: IdbTask<'idb.put'>): Promise<TaskResult> {
  const values = valuePool(task.valueBytes);
  const keys = Array.from({ length: task.n }, (_, i) => presentKey(i));
  const samples: Sample[] = [];
  for (let rep = 0; rep < task.reps; rep++) {
    const db = await freshDb('bench-idb-put');
    const timer = new Timer(task.n);
    timer.start();
    for (let i = 0; i < task.n; i++) {
      await timer.time(() => {
        const tx = db.transaction(STORE, 'readwrite', { durability: 'strict' });
        tx.objectStore(STORE).put(values[i & 255]!, keys[i]!);
        return done(tx);
      });
    }
    samples.push(timer.sample(task.n, task.n * (KEY_BYTES + task.valueBytes)));
    await drop(db);
  }
  return { measures: { put: samples }, info: { durability: 'strict' } };
}

function bulkPut(
  db: IDBDatabase,
  keys: Array<Uint8Array<ArrayBuffer>>,
  values: Uint8Array[],
  from: number,
  to: number,
): Promise<void> {
  const tx = db.transaction(STORE, 'readwrite', { durability: 'strict' });
  const store = tx.objectStore(STORE);
  for (let i = from; i < to; i++) store.put(values[i]!, keys[i]!);
  return done(tx);
}

/** Every put in one transaction (durability 'strict'), its commit included. */
export async function idbBulk(task: IdbTask<'idb.bulk'>): Promise<TaskResult> {
  const pool = valuePool(task.valueBytes);
  const keys = Array.from({ length: task.n }, (_, i) => presentKey(i));
  const values = keys.map((_, i) => pool[i & 255]!);
  const samples: Sample[] = [];
  for (let rep = 0; rep < task.reps; rep++) {
    const db = await freshDb('bench-idb-bulk');
    const started = now();
    await bulkPut(db, keys, values, 0, task.n);
    samples.push(bulkSample(task.n, task.n * (KEY_BYTES + task.valueBytes), started));
    await drop(db);
  }
  return { measures: { bulk: samples }, info: { durability: 'strict' } };
}

/** n records loaded (random order, 10,000 per transaction), then random gets, one readonly transaction each. */
export async function idbRead(task: IdbTask<'idb.read'>): Promise<TaskResult> {
  const pool = valuePool(VALUE_BYTES);
  const order = shuffled(task.n, 1);
  const keys = Array.from(order, (j) => presentKey(j));
  const values = Array.from(order, (j) => pool[j & 255]!);
  const db = await freshDb('bench-idb-read');
  const loadStarted = now();
  for (let i = 0; i < task.n; i += 10_000) await bulkPut(db, keys, values, i, Math.min(task.n, i + 10_000));
  const loadMs = now() - loadStarted;
  const get = async (key: Uint8Array<ArrayBuffer>): Promise<unknown> => {
    const tx = db.transaction(STORE, 'readonly');
    return request(tx.objectStore(STORE).get(key));
  };
  for (const j of draws(Math.min(task.gets, 1000), task.n, 99)) await get(presentKey(j));
  const samples: Sample[] = [];
  for (let rep = 0; rep < task.reps; rep++) {
    const picks = Array.from(draws(task.gets, task.n, 100 + rep), presentKey);
    let found = 0;
    const sample = await passes(task.gets, task.gets * (KEY_BYTES + VALUE_BYTES), async (i) => {
      if (await get(picks[i]!)) found++;
    });
    samples.push(sample);
    if (found !== 2 * task.gets) throw new Error(`only ${found / 2} of ${task.gets} records found`);
  }
  await drop(db);
  return { measures: { get: samples }, info: { loadMs } };
}
