// The timeline the UI plays: the engine's own events, the worker's workload progress, and the one thing
// neither can report because they do not survive it: the worker being terminated.
import type { WorkerEvent } from '@lsm-lab/engine/worker';

/** The page terminated the worker: a process crash, or a power loss (unflushed writes damaged first). */
export type CrashEvent = { type: 'crash'; id: number; kind: 'process' | 'power'; memtableEntries: number };
export type TimelineEvent = WorkerEvent | CrashEvent;
