// The messages between the main thread (client.ts) and the worker that owns the database (worker.ts).
// One typed API; the client calls it by name, the worker implements it; errors cross as plain data and
// become LsmErrors again on the other side, code, file and offset intact.
import type { EngineEvent } from '../events';
import type { TreeState } from '../tree';

export interface OpenOptions {
  memtableBytes: number;
}

export type OpenResult =
  | { status: 'open'; persistent: boolean; state: TreeState }
  /** Another tab (or worker) holds this database's lock. */
  | { status: 'locked' };

export interface GetResult {
  value: Uint8Array | null;
  source: string | null;
  tablesChecked: number;
  blocksRead: number;
}

export interface VerifyResult {
  checked: number;
  found: number;
  /** Keys (hex) whose value after recovery differs from the acknowledged one. */
  missing: string[];
}

/** What the worker can do. Every method answers with a promise of a structured-cloneable value. */
export interface WorkerApi {
  open(name: string, options: OpenOptions): OpenResult;
  put(key: Uint8Array, value: Uint8Array): void;
  delete(key: Uint8Array): void;
  get(key: Uint8Array): GetResult;
  flush(): void;
  describe(): TreeState;
  /** Reads each key quietly (no read events) and compares with what the UI saw acknowledged. */
  verify(expected: Array<[Uint8Array, Uint8Array | null]>): VerifyResult;
  setMemtableBytes(bytes: number): void;
  close(): void;
  /** Closes the database, deletes its directory and opens it again, empty. */
  reset(): OpenResult;
}

export type Method = keyof WorkerApi;

export interface Request<M extends Method = Method> {
  id: number;
  method: M;
  args: Parameters<WorkerApi[M]>;
}

export interface SerializedError {
  name: string;
  message: string;
  code?: string;
  file?: string;
  offset?: number;
}

export type WorkerMessage =
  | { kind: 'response'; id: number; ok: true; value: unknown }
  | { kind: 'response'; id: number; ok: false; error: SerializedError }
  /** Events arrive in batches, always before the response of the operation that caused them. */
  | { kind: 'events'; events: EngineEvent[] };
