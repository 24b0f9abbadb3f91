// useFileBytes: one database file's bytes for the hex inspector, read again whenever the caller says the file
// changed, but never more often than a large file can be parsed without stalling the page.
import { useEffect, useRef, useState } from 'react';
import { readDatabaseFile } from '../../store/actions';

/**
 * A growing file is read again at most this often (a workload changes sizes many times a second), and large files
 * less often still: one millisecond per 4 KiB, so that parsing a 4 MiB WAL takes a tenth of the main thread at most.
 */
const REREAD_MS = 250;
const REREAD_MS_PER_BYTE = 1 / 4096;

/** Reads the file whenever `version` changes, at most every REREAD_MS; a late answer never overwrites a newer one. */
export function useFileBytes(file: string, version: string): { bytes: Uint8Array | null; error: string | null } {
  const [result, setResult] = useState<{ file: string; bytes: Uint8Array | null; error: string | null }>({
    file: '',
    bytes: null,
    error: null,
  });
  const lastRead = useRef(-Infinity);
  const lastSize = useRef(0);
  const lastFile = useRef('');
  const asked = useRef(0);
  const answered = useRef(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` is the reason to read again (the file grew, Read again was pressed)
  useEffect(() => {
    if (!file) return;
    const pause = Math.max(REREAD_MS, lastSize.current * REREAD_MS_PER_BYTE);
    const timer = setTimeout(
      () => {
        lastRead.current = performance.now();
        lastFile.current = file;
        const ticket = ++asked.current;
        const answer = (bytes: Uint8Array | null, error: string | null) => {
          if (ticket < answered.current) return;
          answered.current = ticket;
          if (bytes) lastSize.current = bytes.length;
          setResult((last) => ({ file, bytes: bytes ?? (last.file === file ? last.bytes : null), error }));
        };
        readDatabaseFile(file).then(
          (bytes) => answer(bytes, null),
          (error: unknown) => answer(null, error instanceof Error ? error.message : String(error)),
        );
      },
      // A file just chosen is read at once.
      file === lastFile.current ? Math.max(0, lastRead.current + pause - performance.now()) : 0,
    );
    return () => clearTimeout(timer);
  }, [file, version]);
  return result.file === file ? result : { bytes: null, error: null };
}
