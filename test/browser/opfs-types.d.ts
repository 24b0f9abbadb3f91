// TypeScript's DOM library (used to typecheck the tests) lacks the worker-only OPFS sync access handle that
// the engine's storage uses; the engine itself is typechecked with the WebWorker library, which has it.
// Chromium also accepts a `mode` option (Chrome 121+), which lib.webworker lacks too.
type OpfsSyncAccessMode = 'readwrite' | 'read-only' | 'readwrite-unsafe';

interface FileSystemSyncAccessHandle {
  read(buffer: AllowSharedBufferSource, options?: { at?: number }): number;
  write(buffer: AllowSharedBufferSource, options?: { at?: number }): number;
  truncate(newSize: number): void;
  getSize(): number;
  flush(): void;
  close(): void;
  readonly mode?: OpfsSyncAccessMode;
}

interface FileSystemFileHandle {
  createSyncAccessHandle(options?: { mode?: OpfsSyncAccessMode }): Promise<FileSystemSyncAccessHandle>;
}
