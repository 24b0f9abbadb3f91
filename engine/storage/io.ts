// Checked reads and writes. OPFS returns counts instead of throwing on a short transfer; a storage engine
// that ignores a short write has silently lost data, so every transfer in the engine goes through here.
import { ErrorCode, LsmError } from '../errors';
import type { Storage, StorageFile } from './storage';

export function writeFully(file: StorageFile, name: string, bytes: Uint8Array, at: number): void {
  let written: number;
  try {
    written = file.write(bytes, { at });
  } catch (cause) {
    throw ioError(name, at, `write of ${bytes.length} bytes failed`, cause);
  }
  if (written !== bytes.length) {
    throw new LsmError(ErrorCode.IoError, `short write to ${name} at byte ${at}: ${written} of ${bytes.length} bytes`, {
      file: name,
      offset: at,
    });
  }
}

/** Reads exactly `length` bytes or fewer at end of file; the caller decides whether fewer is a torn tail. */
export function readAt(file: StorageFile, name: string, length: number, at: number): Uint8Array {
  const buffer = new Uint8Array(length);
  const count = readInto(file, name, buffer, at);
  return count === length ? buffer : buffer.subarray(0, count);
}

/** Reads into `target` (its whole length) at `at`; returns the bytes read (fewer at end of file). */
export function readInto(file: StorageFile, name: string, target: Uint8Array, at: number): number {
  try {
    return file.read(target, { at });
  } catch (cause) {
    throw ioError(name, at, `read of ${target.length} bytes failed`, cause);
  }
}

export function flushFile(file: StorageFile, name: string): void {
  try {
    file.flush();
  } catch (cause) {
    throw ioError(name, undefined, 'flush failed', cause);
  }
}

export function truncateFile(file: StorageFile, name: string, size: number): void {
  try {
    file.truncate(size);
  } catch (cause) {
    throw ioError(name, size, `truncate to ${size} bytes failed`, cause);
  }
}

/** storage.open, with failures (quota, I/O, a dead process) as typed LsmErrors naming the file. */
export async function openFile(storage: Storage, name: string, options?: { create?: boolean }): Promise<StorageFile> {
  try {
    return await storage.open(name, options);
  } catch (cause) {
    throw ioError(name, undefined, options?.create ? 'create failed' : 'open failed', cause);
  }
}

/** storage.remove, with failures as typed LsmErrors naming the file. */
export async function removeFile(storage: Storage, name: string): Promise<void> {
  try {
    await storage.remove(name);
  } catch (cause) {
    throw ioError(name, undefined, 'remove failed', cause);
  }
}

function ioError(file: string, offset: number | undefined, what: string, cause: unknown): LsmError {
  if (cause instanceof LsmError) return cause;
  const reason = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  const name = cause instanceof Error ? cause.name : '';
  const code =
    name === 'QuotaExceededError'
      ? ErrorCode.QuotaExceeded
      : name === 'ProcessCrashed'
        ? ErrorCode.Crashed
        : ErrorCode.IoError;
  return new LsmError(code, `${file}: ${what} (${reason})`, {
    file,
    ...(offset === undefined ? {} : { offset }),
    cause,
  });
}
