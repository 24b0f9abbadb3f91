// The one forwarding Storage (LevelDB's EnvWrapper): a Storage in front of another that passes every call on,
// and a StorageFile that does the same for one file. A wrapper extends these and overrides only what it changes:
// the fault injector (faulty.ts), recovery's handle tracking, the benchmark's relaxed WAL, the tests' counters.
import type { Storage, StorageFile } from './storage';

export class StorageWrapper implements Storage {
  readonly inner: Storage;

  constructor(inner: Storage) {
    this.inner = inner;
  }

  open(name: string, options?: { create?: boolean }): Promise<StorageFile> {
    return this.inner.open(name, options);
  }

  remove(name: string): Promise<void> {
    return this.inner.remove(name);
  }

  list(): Promise<string[]> {
    return this.inner.list();
  }
}

export class FileWrapper implements StorageFile {
  readonly inner: StorageFile;

  constructor(inner: StorageFile) {
    this.inner = inner;
  }

  read(buffer: Uint8Array, options?: { at?: number }): number {
    return this.inner.read(buffer, options);
  }

  write(buffer: Uint8Array, options?: { at?: number }): number {
    return this.inner.write(buffer, options);
  }

  truncate(newSize: number): void {
    this.inner.truncate(newSize);
  }

  getSize(): number {
    return this.inner.getSize();
  }

  flush(): void {
    this.inner.flush();
  }

  close(): void {
    this.inner.close();
  }
}
