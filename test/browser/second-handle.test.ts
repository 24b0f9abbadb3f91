// OPFS allows one sync access handle per file. OpfsStorage retries a held file with backoff (a terminated
// worker can hold its handles for ~2 s), then fails with a typed 'busy' error rather than a raw DOMException.
import { expect, it } from 'vitest';

it('a held file is retried, then refused with code busy; released during the retry, it opens', async () => {
  const directory = 'browser-test-second-handle';
  const root = await navigator.storage.getDirectory();
  await root.removeEntry(directory, { recursive: true }).catch(() => {});

  const worker = new Worker(new URL('./second-handle.worker.ts', import.meta.url), { type: 'module' });
  const result = await new Promise<{
    whileHeld: { code?: string; name: string; file?: string };
    waitedMs: number;
    afterRelease: number[];
  }>((resolve, reject) => {
    worker.onmessage = (message) => resolve(message.data);
    worker.onerror = (event) => reject(new Error(event.message));
    worker.postMessage({ directory });
  });
  worker.terminate();

  expect(result.whileHeld).toEqual({ code: 'busy', name: 'LsmError', file: 'held.log' });
  expect(result.waitedMs).toBeGreaterThanOrEqual(300);
  expect(result.afterRelease).toEqual([1, 2, 3]);
});
