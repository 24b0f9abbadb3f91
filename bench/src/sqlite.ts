// The strongest in-browser peer: SQLite's WebAssembly build on OPFS (opfs-sahpool VFS, this dedicated worker),
// table kv(k BLOB PRIMARY KEY, v BLOB) WITHOUT ROWID, WAL journal (needs locking_mode=EXCLUSIVE first with
// this VFS), synchronous=FULL. Prepared statements, blobs bound as Uint8Array, values read back as copies.
import {
  absentKey,
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
import type { Measures, Sample, Task, TaskResult } from './protocol';

type SqliteTask<K extends Task['kind']> = Extract<Task, { kind: K }>;
type Sqlite3 = Awaited<ReturnType<typeof import('@sqlite.org/sqlite-wasm').default>>;
type Pool = Awaited<ReturnType<Sqlite3['installOpfsSAHPoolVfs']>>;
type Db = InstanceType<Pool['OpfsSAHPoolDb']>;

interface Session {
  sqlite3: Sqlite3;
  pool: Pool;
  version: string;
  initMs: number;
}

/** One SQLite and one pool per worker: the pool holds its access handles open until the worker ends. */
let session: Promise<Session> | undefined;

/** SQLite with its pool, installed on first use (a warm-up pass, Task.warmUp, and the timed run share them). */
function start(): Promise<Session> {
  session ??= install();
  return session;
}

async function install(): Promise<Session> {
  const started = now();
  const { default: init } = await import('@sqlite.org/sqlite-wasm');
  const sqlite3 = await init();
  const pool = await sqlite3.installOpfsSAHPoolVfs({
    name: 'bench-sahpool',
    directory: '/bench-sahpool',
    initialCapacity: 6,
    clearOnInit: true,
  });
  return { sqlite3, pool, version: sqlite3.version.libVersion, initMs: now() - started };
}

function openDb(session: Session, name: string): Db {
  const db = new session.pool.OpfsSAHPoolDb(name);
  // With opfs-sahpool, WAL needs exclusive locking mode first (no shared-memory index across connections).
  db.exec('PRAGMA locking_mode=EXCLUSIVE');
  db.exec('PRAGMA journal_mode=WAL');
  db.exec('PRAGMA synchronous=FULL');
  db.exec('CREATE TABLE IF NOT EXISTS kv(k BLOB PRIMARY KEY, v BLOB) WITHOUT ROWID');
  return db;
}

async function finish(session: Session, db: Db): Promise<void> {
  db.close();
  await session.pool.wipeFiles();
}

function info(session: Session): Record<string, unknown> {
  return { version: session.version, vfs: 'opfs-sahpool', journal: 'WAL', synchronous: 'FULL', initMs: session.initMs };
}

/** Autocommit inserts: every statement is its own transaction, committed durably (synchronous=FULL). */
export async function sqlitePut(task: SqliteTask<'sqlite.put'>): Promise<TaskResult> {
  const session = await start();
  const values = valuePool(task.valueBytes);
  const keys = Array.from({ length: task.n }, (_, i) => presentKey(i));
  const samples: Sample[] = [];
  for (let rep = 0; rep < task.reps; rep++) {
    const db = openDb(session, '/kv.db');
    const insert = db.prepare('INSERT INTO kv(k, v) VALUES (?, ?)');
    const timer = new Timer(task.n);
    timer.start();
    for (let i = 0; i < task.n; i++) timer.timeSync(() => insert.bind([keys[i]!, values[i & 255]!]).stepReset());
    samples.push(timer.sample(task.n, task.n * (KEY_BYTES + task.valueBytes)));
    insert.finalize();
    await finish(session, db);
  }
  return { measures: { put: samples }, info: info(session) };
}

/** All inserts in one transaction (BEGIN ... COMMIT), the commit included in the time. */
export async function sqliteBulk(task: SqliteTask<'sqlite.bulk'>): Promise<TaskResult> {
  const session = await start();
  const values = valuePool(task.valueBytes);
  const keys = Array.from({ length: task.n }, (_, i) => presentKey(i));
  const samples: Sample[] = [];
  for (let rep = 0; rep < task.reps; rep++) {
    const db = openDb(session, '/kv.db');
    const insert = db.prepare('INSERT INTO kv(k, v) VALUES (?, ?)');
    const started = now();
    db.exec('BEGIN');
    for (let i = 0; i < task.n; i++) insert.bind([keys[i]!, values[i & 255]!]).stepReset();
    db.exec('COMMIT');
    samples.push(bulkSample(task.n, task.n * (KEY_BYTES + task.valueBytes), started));
    insert.finalize();
    await finish(session, db);
  }
  return { measures: { bulk: samples }, info: info(session) };
}

/**
 * n rows inserted in a seeded random order (one transaction), then per rep: random present-key selects,
 * absent-key selects, and a full scan in key order.
 */
export async function sqliteRead(task: SqliteTask<'sqlite.read'>): Promise<TaskResult> {
  const { session, db, select, get, loadMs } = await loadKv(task.n);
  for (const j of draws(task.gets, task.n, 99)) if (!get(presentKey(j))) throw new Error(`row ${j} missing`);
  const measures: Measures = { get: [], negative: [], scan: [] };
  for (let rep = 0; rep < task.reps; rep++) {
    const keys = Array.from(draws(task.gets, task.n, 100 + rep), presentKey);
    let found = 0;
    const sample = await passes(task.gets, task.gets * (KEY_BYTES + VALUE_BYTES), (i) => {
      if (get(keys[i]!)) found++;
    });
    measures.get!.push(sample);
    if (found !== 2 * task.gets) throw new Error(`only ${found / 2} of ${task.gets} rows found`);
  }
  for (let rep = 0; rep < task.reps && task.negative !== false; rep++) {
    const keys = Array.from(draws(task.gets, task.n, 200 + rep), absentKey);
    measures.negative!.push(await passes(task.gets, task.gets * KEY_BYTES, (i) => get(keys[i]!)));
  }
  select.finalize();
  const scan = db.prepare('SELECT k, v FROM kv ORDER BY k');
  for (let rep = 0; rep < task.reps && task.scan !== false; rep++) {
    const started = now();
    let count = 0;
    let bytes = 0;
    while (scan.step()) {
      bytes += scan.getBlob(0)!.length + scan.getBlob(1)!.length;
      count++;
    }
    scan.reset();
    measures.scan!.push(bulkSample(count, bytes, started));
  }
  scan.finalize();
  await finish(session, db);
  return { measures, info: { ...info(session), loadMs } };
}

/** A loaded key-value table and its prepared select (the read tasks', and the paired get's: pair.ts). */
export interface LoadedKv {
  session: Session;
  db: Db;
  select: ReturnType<Db['prepare']>;
  /** The value of key (a copy), or null. */
  get: (key: Uint8Array) => Uint8Array | null;
  loadMs: number;
  info: Record<string, unknown>;
  /** Finalizes the select, closes the database and wipes its files. */
  close: () => Promise<void>;
}

/** n rows inserted in a seeded random order in one transaction (the LSM loads the same order), checkpointed. */
export async function loadKv(n: number): Promise<LoadedKv> {
  const session = await start();
  const values = valuePool(VALUE_BYTES);
  const db = openDb(session, '/kv.db');
  const insert = db.prepare('INSERT INTO kv(k, v) VALUES (?, ?)');
  const order = shuffled(n, 1);
  const loadStarted = now();
  db.exec('BEGIN');
  for (let i = 0; i < n; i++) insert.bind([presentKey(order[i]!), values[order[i]! & 255]!]).stepReset();
  db.exec('COMMIT');
  db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  const loadMs = now() - loadStarted;
  insert.finalize();
  const select = db.prepare('SELECT v FROM kv WHERE k = ?');
  const get = (key: Uint8Array): Uint8Array | null => {
    select.bind([key]);
    const value = select.step() ? select.getBlob(0) : null;
    select.reset();
    return value;
  };
  const close = async () => {
    select.finalize();
    await finish(session, db);
  };
  return { session, db, select, get, loadMs, info: { ...info(session), loadMs }, close };
}
