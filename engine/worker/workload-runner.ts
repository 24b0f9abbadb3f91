// The workload runner: the lab's "Run workload" button, run inside the worker against the open tree. A seeded
// stream of operations (workload.ts), with progress reported a few times a second and a cancel that takes
// effect between operations.
import type { LsmTree } from '../tree';
import { type WorkloadSpec, workloadOps } from '../workload';
import type { EventBatcher } from './events';
import type { WorkerEvent } from './protocol';

/** Operations between two yields to the event loop, which lets a cancel or a terminate() in. */
const YIELD_EVERY = 64;
/** At most one progress event per this many milliseconds. */
const PROGRESS_MS = 150;
/** Memtable entries a progress event carries for the picture. */
const MEMTABLE_SAMPLE = 40;

export class WorkloadRunner {
  readonly #events: EventBatcher;
  #cancelled = false;

  constructor(events: EventBatcher) {
    this.#events = events;
  }

  cancel(): void {
    this.#cancelled = true;
  }

  async run(db: LsmTree, spec: WorkloadSpec): Promise<{ done: number; cancelled: boolean; ms: number }> {
    const events = this.#events;
    const started = performance.now();
    this.#cancelled = false;
    events.quiet = true;
    events.add({ type: 'workload.begin', id: 0, spec });
    let done = 0;
    let lastProgress = started;
    let reported = -1;
    try {
      for (const op of workloadOps(spec)) {
        if (this.#cancelled) break;
        if (op.op === 'put') await db.put(op.key, op.value);
        else if (op.op === 'delete') await db.delete(op.key);
        // Counted in the stats (read amplification), but no events: the batcher would drop them all unsent.
        else await db.lookup(op.key, { events: false });
        done++;
        // Let messages in (a cancel, or a terminate()) and report progress a few times a second.
        if (done % YIELD_EVERY === 0) await new Promise((resolve) => setTimeout(resolve, 0));
        const now = performance.now();
        if (now - lastProgress > PROGRESS_MS || done === spec.operations) {
          lastProgress = now;
          reported = done;
          events.add(await progressEvent(db, done, spec.operations));
        }
      }
    } finally {
      events.quiet = false;
    }
    const ms = performance.now() - started;
    // The last count, unless it was just reported (the log said "2,000 of 2,000 operations done" twice).
    if (reported !== done) events.add(await progressEvent(db, done, spec.operations));
    const cancelled = this.#cancelled;
    events.add({ type: 'workload.end', id: 0, done, total: spec.operations, cancelled, ms });
    return { done, cancelled, ms };
  }
}

async function progressEvent(db: LsmTree, done: number, total: number): Promise<WorkerEvent> {
  const { wal, ...memtable } = await db.peekMemtable(MEMTABLE_SAMPLE);
  return {
    type: 'workload.progress',
    id: 0,
    done,
    total,
    wal,
    memtable: { ...memtable, limit: db.settings.memtableBytes },
  };
}
