// The main thread's handle on a database: a typed async API over postMessage to the worker that owns the
// files, and an event stream. crash() is the real thing: worker.terminate(), at whatever moment.
import { ErrorCode, type ErrorCode as ErrorCodeType, LsmError } from '../errors';
import type { TreeSettings } from '../tree';
import type { WorkloadSpec } from '../workload';
import type {
  CrashKind,
  CrashPoint,
  Method,
  OpenOptions,
  OpenResult,
  Request,
  SerializedError,
  WorkerApi,
  WorkerEvent,
  WorkerMessage,
} from './protocol';

export type {
  CrashKind,
  CrashPoint,
  FileListing,
  GetResult,
  OpenOptions,
  OpenResult,
  PowerLossSummary,
  ScanResult,
  VerifyResult,
  WorkerEvent,
  WorkloadEvent,
  WorkloadResult,
} from './protocol';

type Pending = { resolve: (value: unknown) => void; reject: (error: unknown) => void };

/** How long a crashed in-memory worker has to hand over its files before it is terminated without them. */
const FILES_TIMEOUT_MS = 2000;

export class LsmClient {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #dead = false;

  private constructor(onEvents: (events: WorkerEvent[]) => void) {
    this.#worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'lsm-engine' });
    this.#worker.onmessage = (message: MessageEvent<WorkerMessage>) => {
      const data = message.data;
      if (data.kind === 'events') {
        // A crashed worker that is still handing over its memory files has nothing more to tell the page.
        if (!this.#dead) onEvents(data.events);
        return;
      }
      const pending = this.#pending.get(data.id);
      if (!pending) return;
      this.#pending.delete(data.id);
      if (data.ok) pending.resolve(data.value);
      else pending.reject(revive(data.error));
    };
    this.#worker.onerror = (event) => {
      this.#die(new LsmError(ErrorCode.Crashed, `the engine worker failed: ${event.message}`));
    };
  }

  /**
   * Starts a worker and opens `name` in it. When another tab holds the database, the worker is stopped
   * again and the result says 'locked'. `memoryFiles`: open in memory on these files (what crashKeepingFiles()
   * gave), instead of on OPFS.
   */
  static async open(
    name: string,
    options: OpenOptions,
    onEvents: (events: WorkerEvent[]) => void,
    memoryFiles: Array<[string, Uint8Array]> | null = null,
  ): Promise<{ client: LsmClient; result: OpenResult }> {
    return LsmClient.#start('open', name, options, onEvents, memoryFiles);
  }

  /**
   * As open, but the worker repairs the database first (LsmTree.repair: a new manifest from the files found), for
   * one that will not open. The result's `repair` says what was kept and what was lost.
   */
  static async repair(
    name: string,
    options: OpenOptions,
    onEvents: (events: WorkerEvent[]) => void,
    memoryFiles: Array<[string, Uint8Array]> | null = null,
  ): Promise<{ client: LsmClient; result: OpenResult }> {
    return LsmClient.#start('repair', name, options, onEvents, memoryFiles);
  }

  /** A new worker, asked to open (or repair) `name`: stopped again if another tab holds it, or if it fails. */
  static async #start(
    how: 'open' | 'repair',
    name: string,
    options: OpenOptions,
    onEvents: (events: WorkerEvent[]) => void,
    memoryFiles: Array<[string, Uint8Array]> | null,
  ): Promise<{ client: LsmClient; result: OpenResult }> {
    const client = new LsmClient(onEvents);
    try {
      const result = await client.#call(how, name, options, memoryFiles);
      if (result.status === 'locked') client.#worker.terminate();
      return { client, result };
    } catch (error) {
      client.#worker.terminate();
      throw error;
    }
  }

  put(key: Uint8Array, value: Uint8Array) {
    return this.#call('put', key, value);
  }
  delete(key: Uint8Array) {
    return this.#call('delete', key);
  }
  /** Puts (a value) and deletes (null) committed as one WriteBatch: one WAL record, all or nothing. */
  write(writes: Array<[Uint8Array, Uint8Array | null]>) {
    return this.#call('write', writes);
  }
  /** `snapshot`: an id from snapshot(): the value as of then. */
  get(key: Uint8Array, snapshot: number | null = null) {
    return this.#call('get', key, snapshot);
  }
  flush() {
    return this.#call('flush');
  }
  describe() {
    return this.#call('describe');
  }
  verify(expected: Array<[Uint8Array, Uint8Array | null]>) {
    return this.#call('verify', expected);
  }
  /** Reads at `snapshot` (an id from snapshot()), or at a snapshot taken when the scan starts. */
  scan(start: Uint8Array | null, end: Uint8Array | null, snapshot: number | null = null) {
    return this.#call('scan', start, end, snapshot);
  }
  compact() {
    return this.#call('compact');
  }
  /** LevelDB's CompactRange: every file overlapping [start, end) pushed to the last level (null: unbounded). */
  compactRange(start: Uint8Array | null = null, end: Uint8Array | null = null) {
    return this.#call('compactRange', start, end);
  }
  /** A snapshot held in the worker: its id (for get, scan and releaseSnapshot) and sequence number. */
  snapshot() {
    return this.#call('snapshot');
  }
  releaseSnapshot(id: number) {
    return this.#call('releaseSnapshot', id);
  }
  stats() {
    return this.#call('stats');
  }
  setOptions(changes: Partial<TreeSettings>) {
    return this.#call('setOptions', changes);
  }
  runWorkload(spec: WorkloadSpec) {
    return this.#call('runWorkload', spec);
  }
  cancelWorkload() {
    return this.#call('cancelWorkload');
  }
  /** `seed`: what a power loss at the point damages (null: from the clock). */
  armCrash(point: CrashPoint | null, kind: CrashKind, seed: number | null = null) {
    return this.#call('armCrash', point, kind, seed);
  }
  powerLoss(seed: number) {
    return this.#call('powerLoss', seed);
  }
  corrupt(file: string, offset: number) {
    return this.#call('corrupt', file, offset);
  }
  files() {
    return this.#call('files');
  }
  readFile(file: string) {
    return this.#call('readFile', file);
  }
  reset() {
    return this.#call('reset');
  }
  /** The crash lab: closes the database and deletes its manifest; answers the files deleted. */
  deleteManifest() {
    return this.#call('deleteManifest');
  }
  /** LevelDB's GetProperty: 'stats', 'num-files-at-level<N>', ... (null: unknown name). */
  property(name: string) {
    return this.#call('property', name);
  }
  /** LevelDB's GetApproximateSizes over [start, end) (null: unbounded). */
  approximateSize(start: Uint8Array | null = null, end: Uint8Array | null = null) {
    return this.#call('approximateSize', start, end);
  }

  /**
   * A transaction held in the worker: its id (for the txn calls below) and the sequence number it reads at.
   * Aborted when the database closes, resets or crashes.
   */
  txnBegin(serializable = true) {
    return this.#call('txnBegin', serializable);
  }
  txnGet(id: number, key: Uint8Array) {
    return this.#call('txnGet', id, key);
  }
  txnScan(id: number, start: Uint8Array | null = null, end: Uint8Array | null = null) {
    return this.#call('txnScan', id, start, end);
  }
  /** A put (a value) or a delete (null) into the transaction's workspace: nobody else sees it before the commit. */
  txnWrite(id: number, key: Uint8Array, value: Uint8Array | null) {
    return this.#call('txnWrite', id, key, value);
  }
  /** Rejects with an LsmError 'txn-conflict' (nothing written) when what it read was written since it began. */
  txnCommit(id: number) {
    return this.#call('txnCommit', id);
  }
  txnAbort(id: number) {
    return this.#call('txnAbort', id);
  }

  /** Moves the engine's clock `ms` ahead; answers how far ahead of the real clock it now runs. */
  advanceClock(ms: number) {
    return this.#call('advanceClock', ms);
  }

  /** Closes the database cleanly, then stops the worker. */
  async close(): Promise<void> {
    if (this.#dead) return;
    await this.#call('close');
    this.#worker.terminate();
    this.#dead = true;
  }

  /**
   * Simulated process crash: terminate the worker now. Whatever write() handed to OPFS stays on disk;
   * the memtable is gone; every call still waiting is rejected with code 'crashed'.
   */
  crash(): void {
    this.#worker.terminate();
    this.#die(new LsmError(ErrorCode.Crashed, 'the engine worker was terminated (simulated crash)'));
  }

  /**
   * The same crash for a database whose files live in the worker's memory: they would die with it, where a disk
   * would keep them. Every call still waiting is rejected at once, as by crash(); then the worker hands over its
   * files as they are (after a crash point or a power loss its storage is dead already: nothing changes them
   * any more) and is terminated. Resolves with the files, for the next worker to open (empty if it failed, or
   * if the worker did not answer within FILES_TIMEOUT_MS: a stuck worker is terminated all the same).
   */
  async crashKeepingFiles(): Promise<Array<[string, Uint8Array]>> {
    if (this.#dead) return [];
    this.#die(new LsmError(ErrorCode.Crashed, 'the engine worker was terminated (simulated crash)'));
    const id = this.#nextId++;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      return await new Promise<Array<[string, Uint8Array]>>((resolve) => {
        this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject: () => resolve([]) });
        this.#worker.postMessage({ id, method: 'memoryFiles', args: [] } satisfies Request<'memoryFiles'>);
        timer = setTimeout(() => resolve([]), FILES_TIMEOUT_MS);
      });
    } finally {
      clearTimeout(timer);
      this.#pending.delete(id);
      this.#worker.terminate();
    }
  }

  get alive(): boolean {
    return !this.#dead;
  }

  #die(error: LsmError): void {
    this.#dead = true;
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }

  #call<M extends Method>(method: M, ...args: Parameters<WorkerApi[M]>): Promise<ReturnType<WorkerApi[M]>> {
    if (this.#dead) return Promise.reject(new LsmError(ErrorCode.Crashed, 'the engine worker is not running'));
    const id = this.#nextId++;
    const request: Request<M> = { id, method, args };
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.#worker.postMessage(request);
    });
  }
}

function revive(error: SerializedError): Error {
  if (error.code) {
    return new LsmError(error.code as ErrorCodeType, error.message, {
      ...(error.file === undefined ? {} : { file: error.file }),
      ...(error.offset === undefined ? {} : { offset: error.offset }),
    });
  }
  if (error.name === 'TypeError') return new TypeError(error.message);
  const revived = new Error(error.message);
  revived.name = error.name;
  return revived;
}
