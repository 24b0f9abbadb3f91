// Long work (flushing a big memtable, compacting) is cut into slices with a turn of the event loop
// between them. In a Worker that is what lets worker.terminate() stop us at once instead of ~2 s later
// (docs/platform.md §3), and what lets the worker post progress events while it works.

const channel =
  typeof MessageChannel === 'function' && typeof setImmediate !== 'function' ? new MessageChannel() : undefined;
const waiting: Array<() => void> = [];
if (channel) channel.port1.onmessage = () => waiting.shift()?.();

export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof setImmediate === 'function') setImmediate(resolve);
    else if (channel) {
      waiting.push(resolve);
      channel.port2.postMessage(null);
    } else setTimeout(resolve, 0);
  });
}

declare function setImmediate(callback: () => void): unknown;
