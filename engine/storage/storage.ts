// The storage contract: the shape of OPFS itself, so that a real FileSystemSyncAccessHandle satisfies
// StorageFile. Everything the engine persists goes through these two interfaces; nothing else touches files.

export interface StorageFile {
  /** Reads into buffer from `at` (default 0); returns the count read, short at end of file. */
  read(buffer: Uint8Array, options?: { at?: number }): number;
  /** Writes buffer at `at`; returns the count written. A short count is an error the caller must check. */
  write(buffer: Uint8Array, options?: { at?: number }): number;
  truncate(newSize: number): void;
  getSize(): number;
  /** The only durability point: what was written before a flush() survives power loss. */
  flush(): void;
  close(): void;
}

export interface Storage {
  open(name: string, options?: { create?: boolean }): Promise<StorageFile>;
  remove(name: string): Promise<void>;
  list(): Promise<string[]>;
}
