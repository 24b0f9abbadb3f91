// The failure policy (LevelDB's bg_error_): one path for every storage failure the tree outlives, and the one place
// that decides whether the tree may go on writing. The work that follows a durable write (a flush, a compaction, a
// cleanup, a manifest roll) may fail without harming the write, which is safe in the WAL: the failure is reported
// (background.error) and the tree carries on. But when storage may now hold something the tree cannot account for
// (a WAL sync or a manifest record that could not be cut back), it stops writing: read-only until reopened, when
// recovery decides from what is really on storage.
import { ErrorCode, LsmError } from './errors';
import type { EngineEventBody } from './events';
import { cutBackAfter } from './log/writer';
import type { LsmState } from './state';

export type Operation = Extract<EngineEventBody, { type: 'background.error' }>['operation'];

/**
 * Errors already reported. A failure passes up through several layers (a WAL sync inside a flush inside a write):
 * the innermost that knows what failed reports it, and the layers above only rethrow it.
 */
const reported = new WeakSet<object>();

/**
 * Whether writing on after `error` could break prefix consistency: a manifest record that could not be cut back
 * may be on storage after all; a WAL flush that failed leaves its records in doubt, unless the log was cut back
 * and the writes in it were durable-mode writes, which simply failed (nobody was told they had succeeded).
 */
function mustStop(state: LsmState, error: unknown): boolean {
  if (cutBackAfter(error, 'manifest') === false) return true;
  const wal = cutBackAfter(error, 'wal');
  if (wal === undefined) return false;
  return !wal || state.settings.durability !== 'durable';
}

/**
 * The failure of `operation`: stops writing if storage may now be inconsistent (mustStop), and reports it
 * (background.error) unless `thrown`, the error going on to a caller who hears of it that way, when it is reported
 * only if it stopped the tree. A crashed process is no failure: it is rethrown. An error is reported once, by the
 * innermost layer that knows what failed; the layers it passes through after that only rethrow it.
 */
export function failed(state: LsmState, error: unknown, operation: Operation, thrown = false): void {
  if (error instanceof LsmError && error.code === ErrorCode.Crashed) throw error;
  if (typeof error === 'object' && error !== null && reported.has(error)) return;
  const stop = mustStop(state, error);
  if (thrown && !stop) return;
  if (typeof error === 'object' && error !== null) reported.add(error);
  if (stop) {
    const message = error instanceof Error ? error.message : String(error);
    state.readOnly ??= `${operation} failed (${message}); reopen the database to recover from what is on storage`;
  }
  state.trace.backgroundError(operation, error, stop);
}
