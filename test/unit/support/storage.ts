// Storage for tests: byte-for-byte copies of a MemoryStorage (so that one crashed database can be damaged in many
// ways), files written or damaged by hand, a process that dies mid-operation, and a Storage that counts
// operations and can act just before a flush.
import { expect } from 'vitest';
import { MemoryStorage, type Storage, type StorageFile } from '../../../engine';

/** A new MemoryStorage holding byte-for-byte copies of every file in `source` (no handle left open). */
export async function copyStorage(source: MemoryStorage): Promise<MemoryStorage> {
  const copy = new MemoryStorage();
  for (const name of await source.list()) {
    const file = await copy.open(name, { create: true });
    const bytes = source.snapshot(name);
    expect(file.write(bytes, { at: 0 })).toBe(bytes.length);
    file.close();
  }
  return copy;
}

/** The byte at `at`, inverted: poke it back to damage the file there. */
export function flippedByte(bytes: Uint8Array, at: number): Uint8Array {
  return Uint8Array.of(bytes[at]! ^ 0xff);
}

/** Creates (or overwrites from byte 0) a file: what a crashed process may have left behind. */
export async function writeFile(storage: MemoryStorage, name: string, bytes: Uint8Array): Promise<void> {
  const file = await storage.open(name, { create: true });
  expect(file.write(bytes, { at: 0 })).toBe(bytes.length);
  file.close();
}

/**
 * A process that dies mid-operation: `die()` kills every open handle (MemoryStorage.crash) and from then on
 * every directory operation through `storage` fails too, so nothing the dying tree still tries (a cleanup in a
 * catch block, the next output file) reaches the files. Reopen on `memory`, as a new process would.
 */
export function mortalStorage(memory: MemoryStorage) {
  let dead = false;
  const refuse = () => Promise.reject(new Error('the process has crashed'));
  const storage: Storage = {
    open: (name, options) => (dead ? refuse() : memory.open(name, options)),
    remove: (name) => (dead ? refuse() : memory.remove(name)),
    list: () => (dead ? refuse() : memory.list()),
  };
  return {
    storage,
    die: () => {
      dead = true;
      memory.crash();
    },
  };
}

export type StorageOperation = 'open' | 'remove' | 'write' | 'flush' | 'truncate';

/**
 * A Storage in front of another (a FaultyStorage), counting the mutating operations of each kind as the
 * FaultyStorage counts them, remembering every error thrown through it and every short write, and calling
 * `beforeFlush` just before a file flush reaches the storage below: the moment a power cut does the most damage.
 */
export class HookedStorage implements Storage {
  readonly inner: Storage;
  readonly counts: Record<StorageOperation, number> = { open: 0, remove: 0, write: 0, flush: 0, truncate: 0 };
  readonly errors: Array<{ operation: StorageOperation; file: string; error: unknown }> = [];
  /** Writes that storage accepted only in part (it returned a short count), by file. */
  readonly shortWrites: string[] = [];
  beforeFlush: ((file: string) => void) | undefined;

  constructor(inner: Storage) {
    this.inner = inner;
  }

  async open(name: string, options?: { create?: boolean }): Promise<StorageFile> {
    const file = await this.#track('open', name, () => this.inner.open(name, options));
    return {
      read: (buffer, at) => file.read(buffer, at),
      write: (buffer, at) => {
        const written = this.#trackSync('write', name, () => file.write(buffer, at));
        if (written < buffer.length) this.shortWrites.push(name);
        return written;
      },
      truncate: (size) => this.#trackSync('truncate', name, () => file.truncate(size)),
      getSize: () => file.getSize(),
      flush: () => {
        this.beforeFlush?.(name);
        this.#trackSync('flush', name, () => file.flush());
      },
      close: () => file.close(),
    };
  }

  remove(name: string): Promise<void> {
    return this.#track('remove', name, () => this.inner.remove(name));
  }

  list(): Promise<string[]> {
    return this.inner.list();
  }

  async #track<T>(operation: StorageOperation, file: string, run: () => Promise<T>): Promise<T> {
    this.counts[operation]++;
    try {
      return await run();
    } catch (error) {
      this.errors.push({ operation, file, error });
      throw error;
    }
  }

  #trackSync<T>(operation: StorageOperation, file: string, run: () => T): T {
    this.counts[operation]++;
    try {
      return run();
    } catch (error) {
      this.errors.push({ operation, file, error });
      throw error;
    }
  }
}
