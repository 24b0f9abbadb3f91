// Runs inside a dedicated worker (sync access handles exist only there): checks OpfsStorage's answer
// to a file that another handle holds, and reports what happened to the test page.
import { LsmError } from '../../engine';
import { OpfsStorage } from '../../engine/storage/opfs';

const scope = self as unknown as {
  onmessage: ((message: MessageEvent<{ directory: string }>) => void) | null;
  postMessage(message: unknown): void;
};

scope.onmessage = async (message: MessageEvent<{ directory: string }>) => {
  const storage = await OpfsStorage.open(message.data.directory, { retryMs: 400 });
  const first = await storage.open('held.log', { create: true });
  first.write(new Uint8Array([1, 2, 3]), { at: 0 });

  // 1. While the first handle stays open, a second open retries and then fails with a typed error.
  let whileHeld: { code?: string; name: string; file?: string } = { name: 'no error' };
  const started = performance.now();
  try {
    await storage.open('held.log');
  } catch (error) {
    whileHeld =
      error instanceof LsmError ? { code: error.code, name: error.name, file: error.file } : { name: String(error) };
  }
  const waitedMs = performance.now() - started;

  // 2. If the holder lets go during the retry window (a dying worker), the open succeeds.
  setTimeout(() => first.close(), 100);
  const second = await storage.open('held.log');
  const bytes = new Uint8Array(3);
  second.read(bytes, { at: 0 });
  second.close();

  scope.postMessage({ whileHeld, waitedMs, afterRelease: [...bytes] });
};
