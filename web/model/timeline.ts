// The timeline the UI plays: the engine's own events, plus the one thing the engine cannot report
// because it does not survive it: its worker being terminated.
import type { EngineEvent } from '../../engine';

export type CrashEvent = { type: 'crash'; id: number; memtableEntries: number };
export type TimelineEvent = EngineEvent | CrashEvent;
