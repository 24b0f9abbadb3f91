// The WAL's durability point, and group commit: a write is acknowledged once its WAL record is flushed, now
// ('durable': the seed's fsync) or together with the other writes of its group ('group'); 'relaxed' writes are
// acknowledged at once and flushed within groupCommitMs. Part of the write path (write.ts); a flush settles the
// waiting writes before it retires their WAL (flush.ts), and close() settles them too.
import { failed } from './failure';
import type { LsmState } from './state';

/** Flushes the WAL if anything is unflushed and settles the writes waiting for it. */
export function syncWal(state: LsmState): void {
  if (state.groupTimer !== undefined) clearTimeout(state.groupTimer);
  state.groupTimer = undefined;
  const waiting = state.waiting;
  state.waiting = [];
  if (state.wal.durableSize === state.wal.size) {
    for (const w of waiting) w.resolve();
    return;
  }
  try {
    state.wal.flush();
  } catch (error) {
    for (const w of waiting) w.reject(error);
    // The tree stops writing unless the records were cut back off the log and nobody had been told they were
    // written (failure.ts decides); the writes waiting hear of it, and so does the caller.
    failed(state, error, 'wal-sync', true);
    throw error;
  }
  state.trace.walFlushed(state.wal);
  for (const w of waiting) w.resolve();
}

/** Group commit: this write waits for the group's flush, which happens when the group is full or its time is up. */
export function joinGroup(state: LsmState): Promise<void> {
  const relaxed = state.settings.durability === 'relaxed';
  const settled = relaxed
    ? Promise.resolve()
    : new Promise<void>((resolve, reject) => state.waiting.push({ resolve, reject }));
  // If the group's flush fails inside this very write, the write throws and nobody awaits `settled`:
  // its rejection is then already reported through the throw, not an unhandled one.
  settled.catch(() => {});
  if (!relaxed && state.waiting.length >= state.settings.groupCommitWrites) {
    syncWal(state);
  } else if (state.groupTimer === undefined) {
    state.groupTimer = setTimeout(() => {
      state.groupTimer = undefined;
      state.enqueue(async () => syncWal(state)).catch(() => {});
    }, state.settings.groupCommitMs);
  }
  return settled;
}
