// Long work (flushing a big memtable, compacting) is cut into slices with a turn of the event loop
// between them. In a Worker that is what lets worker.terminate() stop us at once instead of ~2 s later
// (docs/platform.md §3), what lets the worker post progress events while it works, and what lets a file being
// created ahead (commit.ts, tableAhead) get its answers from the browser's storage process.

const channel =
  typeof MessageChannel === 'function' && typeof setImmediate !== 'function' ? new MessageChannel() : undefined;
const waiting: Array<() => void> = [];
if (channel) channel.port1.onmessage = () => waiting.shift()?.();

/** When the event loop last had a turn (yieldToEventLoop's return). */
let turnAt = performance.now();

export function yieldToEventLoop(): Promise<void> {
  return new Promise<void>((resolve) => {
    if (typeof setImmediate === 'function') setImmediate(resolve);
    else if (channel) {
      waiting.push(resolve);
      channel.port2.postMessage(null);
    } else setTimeout(resolve, 0);
  }).then(() => {
    turnAt = performance.now();
  });
}

/**
 * A slice of long work lasts about this long: long enough that the turns cost little, short enough to stop, and
 * frequent enough that the two round trips of a file created ahead (each answered only in a turn) are done before
 * the output before it is full: at 4 ms a compaction still waited ~10 ms in all for its files created ahead.
 */
const SLICE_MS = 2;

/**
 * Whether a slice of long work is over: the caller yields when it is. Asked every 64 entries, not every entry
 * (reading the clock costs about what a small entry's copy does), and the slice measured in time, not in entries:
 * at 512 entries a slice, a compaction of 100k small entries (~140 ms) took 200 turns of the event loop, each a
 * message through the worker's own port; at 2 ms a slice it takes about 70.
 */
export function sliceDue(count: number): boolean {
  return (count & 63) === 0 && performance.now() - turnAt >= SLICE_MS;
}

declare function setImmediate(callback: () => void): unknown;
