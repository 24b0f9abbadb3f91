// A scenario: settings and the operations a class went through (and an armed crash point), small enough to
// live in a link. Opening the link replays it, step by step, on a fresh database.
import type { WorkloadSpec } from '@lsm-lab/engine';
import type { CrashKind, CrashPoint } from '@lsm-lab/engine/worker';
import type { InputFormat } from './input';

export type ScenarioOp =
  | { op: 'put'; key: string; value: string; format?: InputFormat }
  | { op: 'delete'; key: string; format?: InputFormat }
  /** `at`: the sequence number of a live snapshot to read at (the newest live one for 'snapshot'). */
  | { op: 'get'; key: string; format?: InputFormat; at?: number | 'snapshot' }
  | { op: 'scan'; start: string; end: string; format?: InputFormat; at?: number | 'snapshot' }
  /** A WriteBatch: puts (a value) and deletes (null value) committed as one WAL record. */
  | { op: 'batch'; writes: Array<{ key: string; value: string | null }>; format?: InputFormat }
  | { op: 'snapshot' }
  /** Releases the live snapshot at that sequence number (the oldest live one for 'oldest'). */
  | { op: 'release'; seq: number | 'oldest' }
  /** Inverts every bit of one byte of a file (the corruption lab). */
  | { op: 'corrupt'; file: string; offset: number }
  | { op: 'flush' }
  | { op: 'compact' }
  /** `seed`: what a power loss damaged, so that the replay loses the same (links made before it had none). */
  | { op: 'crash'; kind: CrashKind; seed?: number }
  | { op: 'recover' }
  | { op: 'arm'; point: CrashPoint; kind: CrashKind; seed?: number }
  | { op: 'disarm' }
  /** Engine settings changed mid-session (the scenario's `settings` are the ones it started with). */
  | { op: 'settings'; changes: Record<string, unknown> }
  /** A generated workload: its spec (seeded) replays the same operations. */
  | { op: 'workload'; spec: WorkloadSpec }
  /** The engine's clock moved this many ms ahead (the TTL compaction filter's time). */
  | { op: 'clock'; advanceMs: number };

export interface Scenario {
  version: 1;
  settings: Record<string, unknown>;
  ops: ScenarioOp[];
}

const OPS = new Set([
  'put',
  'delete',
  'get',
  'scan',
  'batch',
  'snapshot',
  'release',
  'corrupt',
  'flush',
  'compact',
  'crash',
  'recover',
  'arm',
  'disarm',
  'settings',
  'workload',
  'clock',
]);

/** URL-safe base64 of the JSON, for the part of the link after #scenario= */
export function encodeScenario(scenario: Scenario): string {
  const bytes = new TextEncoder().encode(JSON.stringify(scenario));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The scenario in a link or a file; a clear error for anything else. */
export function decodeScenario(text: string): Scenario {
  let json: unknown;
  try {
    const trimmed = text.trim();
    if (trimmed.startsWith('{')) json = JSON.parse(trimmed);
    else {
      const binary = atob(trimmed.replace(/-/g, '+').replace(/_/g, '/'));
      json = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
    }
  } catch {
    throw new Error('This is not an LSM Lab scenario (it does not decode).');
  }
  const scenario = json as Partial<Scenario>;
  if (scenario?.version !== 1 || !Array.isArray(scenario.ops) || typeof scenario.settings !== 'object') {
    throw new Error('This is not an LSM Lab scenario (version 1 with settings and ops).');
  }
  for (const op of scenario.ops) {
    if (!op || typeof op !== 'object' || !OPS.has((op as ScenarioOp).op)) {
      throw new Error(`The scenario has an operation LSM Lab does not know: ${JSON.stringify(op)}`);
    }
  }
  return scenario as Scenario;
}
