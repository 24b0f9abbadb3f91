// Storage for tests: byte-for-byte copies of a MemoryStorage (so that one crashed database can be damaged in many
// ways), files written or damaged by hand, a process that dies mid-operation, and a Storage that counts
// operations and can act just before a flush.
import { expect } from 'vitest';
import { MemoryStorage, type Storage, type StorageFile } from '../../../engine';
import { FileWrapper, StorageWrapper } from '../../../engine/storage/wrapper';

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
  const storage = new (class extends StorageWrapper {
    override open(name: string, options?: { create?: boolean }) {
      return dead ? refuse() : super.open(name, options);
    }
    override remove(name: string) {
      return dead ? refuse() : super.remove(name);
    }
    override list() {
      return dead ? refuse() : super.list();
    }
  })(memory);
  return {
    storage: storage as Storage,
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
export class HookedStorage extends StorageWrapper {
  readonly counts: Record<StorageOperation, number> = { open: 0, remove: 0, write: 0, flush: 0, truncate: 0 };
  readonly errors: Array<{ operation: StorageOperation; file: string; error: unknown }> = [];
  /** Writes that storage accepted only in part (it returned a short count), by file. */
  readonly shortWrites: string[] = [];
  beforeFlush: ((file: string) => void) | undefined;

  override async open(name: string, options?: { create?: boolean }): Promise<StorageFile> {
    const file = await this.track('open', name, () => super.open(name, options));
    return new HookedFile(file, name, this);
  }

  override remove(name: string): Promise<void> {
    return this.track('remove', name, () => super.remove(name));
  }

  async track<T>(operation: StorageOperation, file: string, run: () => Promise<T>): Promise<T> {
    this.counts[operation]++;
    try {
      return await run();
    } catch (error) {
      this.errors.push({ operation, file, error });
      throw error;
    }
  }

  trackSync<T>(operation: StorageOperation, file: string, run: () => T): T {
    this.counts[operation]++;
    try {
      return run();
    } catch (error) {
      this.errors.push({ operation, file, error });
      throw error;
    }
  }
}

/** One file of a HookedStorage: its writes, truncates and flushes counted there. */
class HookedFile extends FileWrapper {
  readonly #name: string;
  readonly #storage: HookedStorage;

  constructor(inner: StorageFile, name: string, storage: HookedStorage) {
    super(inner);
    this.#name = name;
    this.#storage = storage;
  }

  override write(buffer: Uint8Array, options?: { at?: number }): number {
    const written = this.#storage.trackSync('write', this.#name, () => super.write(buffer, options));
    if (written < buffer.length) this.#storage.shortWrites.push(this.#name);
    return written;
  }

  override truncate(size: number): void {
    this.#storage.trackSync('truncate', this.#name, () => super.truncate(size));
  }

  override flush(): void {
    this.#storage.beforeFlush?.(this.#name);
    this.#storage.trackSync('flush', this.#name, () => super.flush());
  }
}
