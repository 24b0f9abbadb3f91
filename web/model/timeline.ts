// The timeline the UI plays: the engine's own events, the worker's workload progress, and the one thing
// neither can report because they do not survive it: the worker being terminated.
import type { WorkerEvent } from '../../engine/worker/client';

export type CrashEvent = { type: 'crash'; id: number; memtableEntries: number };
export type TimelineEvent = WorkerEvent | CrashEvent;
