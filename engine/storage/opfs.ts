// OpfsStorage: the Storage contract on the Origin Private File System. One OPFS directory per database.
// Worker only: createSyncAccessHandle() does not exist on the main thread. A FileSystemSyncAccessHandle
// already has exactly the StorageFile shape, so open() hands it over as it is: no wrapper, no copy.
import { deniedOr, ErrorCode, LsmError } from '../errors';
import type { Storage, StorageFile } from './storage';

/** How long open() keeps retrying a file that a terminated worker still holds (docs/platform.md §3: ~2 s). */
const OPEN_RETRY_MS = 5000;

export class OpfsStorage implements Storage {
  readonly directory: FileSystemDirectoryHandle;
  readonly name: string;
  readonly #retryMs: number;

  private constructor(directory: FileSystemDirectoryHandle, name: string, retryMs: number) {
    this.directory = directory;
    this.name = name;
    this.#retryMs = retryMs;
  }

  static isSupported(): boolean {
    return (
      typeof navigator !== 'undefined' &&
      typeof navigator.storage?.getDirectory === 'function' &&
      typeof FileSystemFileHandle !== 'undefined' &&
      'createSyncAccessHandle' in FileSystemFileHandle.prototype
    );
  }

  /**
   * The directory `name` under the OPFS root, created if missing. `retryMs`: how long opening a file keeps
   * retrying while another handle holds it (default 5 s).
   */
  static async open(name: string, options: { retryMs?: number } = {}): Promise<OpfsStorage> {
    if (!OpfsStorage.isSupported()) {
      throw new LsmError(ErrorCode.Unsupported, 'OPFS sync access handles are not available here (worker only)');
    }
    try {
      const root = await navigator.storage.getDirectory();
      return new OpfsStorage(
        await root.getDirectoryHandle(name, { create: true }),
        name,
        options.retryMs ?? OPEN_RETRY_MS,
      );
    } catch (error) {
      throw deniedOr(error);
    }
  }

  /**
   * The same database's directory in another worker (a FileSystemDirectoryHandle is sent by postMessage): the
   * flush worker writes a table there (flush-worker.ts).
   */
  static fromDirectory(directory: FileSystemDirectoryHandle): OpfsStorage {
    return new OpfsStorage(directory, directory.name, OPEN_RETRY_MS);
  }

  /** Removes the database's directory and every file in it. No handle may be open. */
  static async destroy(name: string): Promise<void> {
    const root = await navigator.storage.getDirectory();
    try {
      await root.removeEntry(name, { recursive: true });
    } catch (error) {
      if (!(error instanceof DOMException && error.name === 'NotFoundError')) throw error;
    }
  }

  async open(name: string, options?: { create?: boolean }): Promise<StorageFile> {
    const handle = await this.directory.getFileHandle(name, { create: options?.create ?? false });
    const deadline = Date.now() + this.#retryMs;
    for (let wait = 10; ; wait = Math.min(wait * 2, 500)) {
      try {
        return await handle.createSyncAccessHandle();
      } catch (error) {
        const locked = error instanceof DOMException && error.name === 'NoModificationAllowedError';
        if (!locked) throw error;
        if (Date.now() + wait > deadline) {
          throw new LsmError(
            ErrorCode.Busy,
            `${name} is still held by another handle after ${this.#retryMs / 1000} s (another tab, or a worker that is still dying)`,
            { file: name, cause: error },
          );
        }
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  async remove(name: string): Promise<void> {
    await this.directory.removeEntry(name);
  }

  async list(): Promise<string[]> {
    const names: string[] = [];
    for await (const [name, handle] of this.directory.entries()) if (handle.kind === 'file') names.push(name);
    return names.sort();
  }
}
