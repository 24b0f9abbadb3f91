// The worker that owns one database on OPFS. It holds a Web Lock named after the database for as long as
// the database is open, so a second tab is told "locked" instead of fighting over files; the lock dies
// with this worker (terminate() releases it in under a millisecond, PLATFORM.md).
import { ErrorCode, LsmError } from '../errors';
import type { EngineEvent } from '../events';
import { MemoryStorage } from '../storage/memory';
import { OpfsStorage } from '../storage/opfs';
import type { Storage } from '../storage/storage';
import { LsmTree } from '../tree';
import type { OpenOptions, OpenResult, Request, SerializedError, WorkerApi, WorkerMessage } from './protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;

let tree: LsmTree | undefined;
let databaseName = '';
let options: OpenOptions = { memtableBytes: 1024 };
let persistent = false;
let releaseLock: (() => void) | undefined;

// --- event batching: one postMessage per batch, flushed before every response and every 16 ms --------
let pending: EngineEvent[] = [];
let timer: ReturnType<typeof setTimeout> | undefined;
function onEvent(event: EngineEvent): void {
  pending.push(event);
  timer ??= setTimeout(flushEvents, 16);
}
function flushEvents(): void {
  if (timer !== undefined) clearTimeout(timer);
  timer = undefined;
  if (pending.length === 0) return;
  post({ kind: 'events', events: pending });
  pending = [];
}
function post(message: WorkerMessage): void {
  scope.postMessage(message);
}

function lockName(name: string): string {
  return `lsm-lab:${name}`;
}

/** Resolves true once we hold the database's lock, false at once if someone else holds it. */
function acquireLock(name: string): Promise<boolean> {
  if (!navigator.locks) return Promise.resolve(true);
  return new Promise((resolve) => {
    navigator.locks
      .request(lockName(name), { ifAvailable: true }, (lock) => {
        if (!lock) {
          resolve(false);
          return undefined;
        }
        resolve(true);
        return new Promise<void>((release) => {
          releaseLock = release;
        });
      })
      .catch(() => resolve(false));
  });
}

async function openTree(): Promise<OpenResult> {
  let storage: Storage;
  if (OpfsStorage.isSupported()) {
    storage = await OpfsStorage.open(databaseName);
    persistent = true;
  } else {
    storage = new MemoryStorage();
    persistent = false;
  }
  tree = await LsmTree.open(storage, { memtableBytes: options.memtableBytes, onEvent });
  return { status: 'open', persistent, state: await tree.describe() };
}

function requireTree(): LsmTree {
  if (!tree) throw new LsmError(ErrorCode.Closed, 'the database is not open');
  return tree;
}

type Handlers = { [M in keyof WorkerApi]: (...args: Parameters<WorkerApi[M]>) => Promise<ReturnType<WorkerApi[M]>> };

const handlers: Handlers = {
  async open(name, openOptions) {
    if (tree) throw new LsmError(ErrorCode.InvalidArgument, 'this worker already has a database open');
    databaseName = name;
    options = openOptions;
    if (!(await acquireLock(name))) return { status: 'locked' };
    try {
      return await openTree();
    } catch (error) {
      releaseLock?.();
      throw error;
    }
  },
  async put(key, value) {
    await requireTree().put(key, value);
  },
  async delete(key) {
    await requireTree().delete(key);
  },
  async get(key) {
    const result = await requireTree().lookup(key);
    return { ...result, value: result.value ?? null };
  },
  async flush() {
    await requireTree().flush();
  },
  async describe() {
    return requireTree().describe();
  },
  async verify(expected) {
    const db = requireTree();
    const missing: string[] = [];
    for (const [key, value] of expected) {
      const { value: actual } = await db.lookup(key, { trace: false });
      const same = value === null ? actual === undefined : actual !== undefined && equal(actual, value);
      if (!same) missing.push([...key].map((b) => b.toString(16).padStart(2, '0')).join(''));
    }
    return { checked: expected.length, found: expected.length - missing.length, missing };
  },
  async setMemtableBytes(bytes) {
    options = { ...options, memtableBytes: bytes };
    await requireTree().setMemtableBytes(bytes);
  },
  async close() {
    await tree?.close();
    tree = undefined;
    releaseLock?.();
  },
  async reset() {
    await tree?.close().catch(() => {});
    tree = undefined;
    if (persistent) await OpfsStorage.destroy(databaseName);
    return openTree();
  },
};

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

function serialize(error: unknown): SerializedError {
  if (error instanceof LsmError) {
    return {
      name: error.name,
      message: error.message,
      code: error.code,
      ...(error.file === undefined ? {} : { file: error.file }),
      ...(error.offset === undefined ? {} : { offset: error.offset }),
    };
  }
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

scope.onmessage = async (message: MessageEvent<Request>) => {
  const { id, method, args } = message.data;
  try {
    const handler = handlers[method] as (...a: unknown[]) => Promise<unknown>;
    const value = await handler(...args);
    flushEvents();
    post({ kind: 'response', id, ok: true, value });
  } catch (error) {
    flushEvents();
    post({ kind: 'response', id, ok: false, error: serialize(error) });
  }
};
