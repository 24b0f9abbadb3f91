// The failure policy (LevelDB's bg_error_): one path for every storage failure the tree outlives. The work that
// follows a durable write (a flush, a compaction, a cleanup, a manifest roll) may fail without harming the write,
// which is safe in the WAL: the failure is reported (background.error) and the tree carries on. But when storage
// may now hold something the tree cannot account for (a WAL sync or a manifest record that could not be cut back),
// it stops writing: read-only until reopened, when recovery decides from what is really on storage.
import { ErrorCode, LsmError } from './errors';
import type { EngineEventBody } from './events';
import { cutBackAfter } from './log/writer';
import type { LsmState } from './state';

type Operation = Extract<EngineEventBody, { type: 'background.error' }>['operation'];

/** Reports a failure; with `stop`, the tree refuses writes from now on. The one place that stops writing. */
export function backgroundFailure(state: LsmState, error: unknown, operation: Operation, stop: boolean): void {
  if (stop) {
    const message = error instanceof Error ? error.message : String(error);
    state.readOnly ??= `${operation} failed (${message}); reopen the database to recover from what is on storage`;
  }
  state.trace.backgroundError(operation, error, stop);
}

/**
 * Work after a durable write failed: report it; stop writing only if storage may now be inconsistent (a manifest
 * record that could not be cut back may be on storage after all). A crashed process is no failure to report.
 */
export function workFailed(state: LsmState, error: unknown, operation: 'flush' | 'compaction' | 'cleanup'): void {
  if (error instanceof LsmError && error.code === ErrorCode.Crashed) throw error;
  backgroundFailure(state, error, operation, cutBackAfter(error, 'manifest') === false);
}
