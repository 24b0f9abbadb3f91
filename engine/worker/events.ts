// Event batching: the engine's events leave the worker in batches, one postMessage per batch, sent every
// BATCH_MS and before every response (so that a response never overtakes the events of the work it answers).
// While a workload runs the batcher is quiet: single writes and reads are not sent one by one, and batches go
// out at most every QUIET_BATCH_MS.
import type { EngineEvent } from '../events';
import type { WorkerEvent, WorkerMessage } from './protocol';

/** How often a batch goes out: about once a frame. */
const BATCH_MS = 16;
/**
 * While a workload runs, events go out at most every QUIET_BATCH_MS: the page draws a workload at most ten
 * times a second anyway, and every message costs its main thread a store update and a render.
 */
const QUIET_BATCH_MS = 100;
/** While a workload runs, single writes and reads are not traced one by one (see WorkerApi.runWorkload). */
const QUIET_TYPES = new Set<EngineEvent['type']>([
  'wal.append',
  'wal.batch',
  'wal.flush',
  'memtable.insert',
  'read.begin',
  'read.memtable',
  'read.bloom',
  'read.index',
  'read.block',
  'read.compare',
  'read.sstable',
  'read.end',
]);

export class EventBatcher {
  readonly #post: (message: WorkerMessage) => void;
  #pending: WorkerEvent[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** A workload is running: see QUIET_TYPES and QUIET_BATCH_MS. */
  quiet = false;

  constructor(post: (message: WorkerMessage) => void) {
    this.#post = post;
  }

  add(event: WorkerEvent): void {
    if (this.quiet && QUIET_TYPES.has(event.type as EngineEvent['type'])) return;
    this.#pending.push(event);
    this.#timer ??= setTimeout(() => this.flush(), this.quiet ? QUIET_BATCH_MS : BATCH_MS);
  }

  /** Sends what is pending now. */
  flush(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending.length === 0) return;
    this.#post({ kind: 'events', events: this.#pending });
    this.#pending = [];
  }
}
