// MemoryStorage: the Storage contract in memory, for tests and demos. It copies the OPFS rules the engine
// must live with: one open handle per file (a second open throws NoModificationAllowedError), no removing an
// open file, and handles that stop working once closed or once the "process" crashes.
import type { Storage, StorageFile } from './storage';

class MemoryFileData {
  bytes = new Uint8Array(0);
  size = 0;
  open: MemoryFile | undefined;

  ensureCapacity(size: number): void {
    if (size <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(size, this.bytes.length * 2, 256));
    grown.set(this.bytes.subarray(0, this.size));
    this.bytes = grown;
  }
}

function domError(name: string, message: string): Error {
  return new DOMException(message, name);
}

class MemoryFile implements StorageFile {
  #data: MemoryFileData | undefined;

  constructor(data: MemoryFileData) {
    this.#data = data;
  }

  #live(): MemoryFileData {
    if (!this.#data) throw domError('InvalidStateError', 'The access handle was closed.');
    return this.#data;
  }

  read(buffer: Uint8Array, options?: { at?: number }): number {
    const data = this.#live();
    const at = options?.at ?? 0;
    if (at >= data.size) return 0;
    const count = Math.min(buffer.length, data.size - at);
    buffer.set(data.bytes.subarray(at, at + count));
    return count;
  }

  write(buffer: Uint8Array, options?: { at?: number }): number {
    const data = this.#live();
    const at = options?.at ?? 0;
    const end = at + buffer.length;
    data.ensureCapacity(end);
    if (at > data.size) data.bytes.fill(0, data.size, at); // a write past the end leaves a zero-filled hole
    data.bytes.set(buffer, at);
    data.size = Math.max(data.size, end);
    return buffer.length;
  }

  truncate(newSize: number): void {
    const data = this.#live();
    data.ensureCapacity(newSize);
    if (newSize > data.size) data.bytes.fill(0, data.size, newSize);
    data.size = newSize;
  }

  getSize(): number {
    return this.#live().size;
  }

  flush(): void {
    this.#live();
  }

  close(): void {
    if (this.#data && this.#data.open === this) this.#data.open = undefined;
    this.#data = undefined;
  }
}

export class MemoryStorage implements Storage {
  readonly #files = new Map<string, MemoryFileData>();

  async open(name: string, options?: { create?: boolean }): Promise<StorageFile> {
    let data = this.#files.get(name);
    if (!data) {
      if (!options?.create) throw domError('NotFoundError', `A requested file could not be found: ${name}`);
      data = new MemoryFileData();
      this.#files.set(name, data);
    }
    if (data.open) {
      throw domError(
        'NoModificationAllowedError',
        `Access Handles cannot be created if there is another open Access Handle for ${name}`,
      );
    }
    const file = new MemoryFile(data);
    data.open = file;
    return file;
  }

  async remove(name: string): Promise<void> {
    const data = this.#files.get(name);
    if (!data) throw domError('NotFoundError', `A requested file could not be found: ${name}`);
    if (data.open) throw domError('NoModificationAllowedError', `${name} is open and cannot be removed`);
    this.#files.delete(name);
  }

  async list(): Promise<string[]> {
    return [...this.#files.keys()].sort();
  }

  /**
   * A process crash, as `worker.terminate()` does it: every handle dies at once, and every byte that
   * write() accepted stays (docs/platform.md §5: unflushed writes survive a killed worker). A tree still
   * holding handles can no longer touch the files; a new tree can open them.
   */
  crash(): void {
    for (const data of this.#files.values()) {
      data.open?.close();
      data.open = undefined;
    }
  }

  /**
   * A copy of every file, bytes as written (flushed or not, open or not): what a disk holds after the process
   * died. The lab's page keeps it across a simulated crash when the files live in a worker's memory.
   */
  copyFiles(): Array<[string, Uint8Array]> {
    return [...this.#files].map(([name, data]) => [name, data.bytes.slice(0, data.size)]);
  }

  /** Storage holding these files (from copyFiles), none of them open. */
  static withFiles(files: Array<[string, Uint8Array]>): MemoryStorage {
    const storage = new MemoryStorage();
    for (const [name, bytes] of files) {
      const data = new MemoryFileData();
      data.ensureCapacity(bytes.length);
      data.bytes.set(bytes);
      data.size = bytes.length;
      storage.#files.set(name, data);
    }
    return storage;
  }

  /** A copy of a file's bytes, for tests and the hex view. */
  snapshot(name: string): Uint8Array {
    const data = this.#files.get(name);
    if (!data) throw domError('NotFoundError', `A requested file could not be found: ${name}`);
    return data.bytes.slice(0, data.size);
  }

  /** Overwrites a file's bytes outright, open handle or not: for corruption tests. */
  poke(name: string, at: number, bytes: Uint8Array): void {
    const data = this.#files.get(name);
    if (!data) throw domError('NotFoundError', `A requested file could not be found: ${name}`);
    data.ensureCapacity(at + bytes.length);
    data.bytes.set(bytes, at);
    data.size = Math.max(data.size, at + bytes.length);
  }

  /** Cuts a file short outright: for torn-tail tests. */
  cut(name: string, size: number): void {
    const data = this.#files.get(name);
    if (!data) throw domError('NotFoundError', `A requested file could not be found: ${name}`);
    data.size = Math.min(data.size, size);
  }
}
