// A memtable's table built away from the write path (background-flush.ts): the entries go, encoded one after
// another in the entry codec (codec/entry.ts), to a flush worker (flush-worker.ts), which writes them into a new
// SSTable, flushes it and closes it, and sends the buffer back for the next flush. What both sides share is here:
// the request and the reply, packing, and the build itself (which the worker runs, and tests run in-process).
import { decodeEntry, type Entry, encodeEntry, entrySize } from './codec/entry';
import { ErrorCode, LsmError } from './errors';
import { type BuilderOptions, type BuiltTable, SstableBuilder } from './sstable/builder';
import { flushFile, openFile, removeFile } from './storage/io';
import type { Storage } from './storage/storage';

/** What the tree asks of its flush worker: one table, from `count` packed entries in `entries[0, length)`. */
export interface FlushRequest {
  readonly id: number;
  /** Where the table goes: the OPFS directory of the tree's storage (undefined for other storage). */
  readonly directory: FileSystemDirectoryHandle | undefined;
  readonly name: string;
  readonly entries: ArrayBuffer;
  readonly length: number;
  readonly count: number;
  readonly options: BuilderOptions;
}

/** The worker's answer: the table built, flushed and closed, or why not; with the request's buffer, handed back. */
export type FlushReply =
  | { readonly id: number; readonly ok: true; readonly built: BuiltTable; readonly entries: ArrayBuffer }
  | {
      readonly id: number;
      readonly ok: false;
      readonly error: { code: ErrorCode; message: string; file?: string; offset?: number };
      readonly entries: ArrayBuffer;
    };

/** What the tree needs of a flush worker: a Worker, or an in-process stand-in (tests). */
export interface FlushWorker {
  postMessage(message: FlushRequest, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<FlushReply>) => void) | null;
  terminate(): void;
}

/**
 * Encodes `entries` (key order) one after another into `spare` when it holds `bound` bytes (what they are expected to
 * take: the memtable's bytes), else into a new buffer, grown if they do not fit after all. Returns the buffer, the
 * bytes used and the count.
 */
export function packEntries(
  entries: Iterable<Entry>,
  bound: number,
  spare: ArrayBuffer | undefined,
): { buffer: ArrayBuffer; length: number; count: number } {
  let out = spare && spare.byteLength >= bound ? new Uint8Array(spare) : new Uint8Array(Math.max(bound, 64 * 1024));
  let at = 0;
  let count = 0;
  for (const entry of entries) {
    const size = entrySize(entry.key.length, entry.value.length);
    if (at + size > out.length) {
      const grown = new Uint8Array(Math.max(2 * out.length, at + size));
      grown.set(out.subarray(0, at));
      out = grown;
    }
    at = encodeEntry(entry, out, at);
    count++;
  }
  return { buffer: out.buffer as ArrayBuffer, length: at, count };
}

/**
 * Builds the requested table in `storage`: created, written, flushed and closed. A table that fails is deleted and
 * the failure comes back typed (an LsmError's code, file and offset), for the tree to report as its flush's.
 */
export async function buildTable(storage: Storage, request: FlushRequest): Promise<FlushReply> {
  const { id, name, entries } = request;
  try {
    const file = await openFile(storage, name, { create: true });
    try {
      const builder = new SstableBuilder(file, name, request.options);
      const bytes = new Uint8Array(entries, 0, request.length);
      let at = 0;
      for (let i = 0; i < request.count; i++) {
        const entry = decodeEntry(bytes, at, bytes.length);
        if (!entry) throw new LsmError(ErrorCode.InvalidArgument, `packed entry ${i} of ${name} does not decode`);
        builder.add(entry);
        at += entrySize(entry.key.length, entry.value.length);
      }
      const built = builder.finish();
      flushFile(file, name);
      file.close();
      return { id, ok: true, built, entries };
    } catch (error) {
      file.close();
      await removeFile(storage, name).catch(() => {});
      throw error;
    }
  } catch (error) {
    const typed =
      error instanceof LsmError
        ? error
        : new LsmError(ErrorCode.IoError, error instanceof Error ? error.message : String(error), { file: name });
    const { code, message, file, offset } = typed;
    return { id, ok: false, error: { code, message, file, offset }, entries };
  }
}

/** The reply's failure as the LsmError it was. */
export function replyError(reply: Extract<FlushReply, { ok: false }>): LsmError {
  const { code, message, file, offset } = reply.error;
  return new LsmError(code, message, { file, offset });
}
