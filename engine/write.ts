// The write path, in the order that makes a write durable (LevelDB's DBImpl::Write): WAL record, flush (now, or
// with its group: group-commit.ts), memtable. A put or delete and a WriteBatch take the same path: each arrives
// as one WAL record (a put's holds one entry, a batch's several under one checksum: all or none after a crash)
// whose writes take consecutive sequence numbers. The record was encoded when the write was called, in the
// tree's arena (memtable/arena.ts); the memtable keeps views into it.
import { backgroundWorker, switchMemtable } from './background-flush';
import { decodeBatch, OP_BATCH } from './codec/batch';
import { decodeEntry, type Entry, encodeEntry, entrySize, stampSequence } from './codec/entry';
import { compactWhileNeeded } from './compaction/execute';
import { ErrorCode, LsmError } from './errors';
import type { Op } from './events';
import { failed } from './failure';
import { flushMemtable } from './flush';
import { joinGroup, syncWal } from './group-commit';
import { newRecord, recordPayload, sealRecord } from './log/format';
import type { Arena } from './memtable/arena';
import type { LsmState } from './state';
import { noteWrites } from './write-times';

/**
 * One write's WAL record (entryRecord), or one batch's (WriteBatch.walRecord). Resolves, inside the queue,
 * with a promise of durability that put() awaits outside it, so that with group commit the next writes can join
 * the same flush. (Wrapped in an object: an async function returning a bare promise would hand back its
 * settlement instead, and the queue would wait for the group it is filling.)
 */
export async function write(
  state: LsmState,
  record: Uint8Array,
): Promise<{ durable: Promise<void>; appended: { file: string; offset: number; length: number; seq: number } }> {
  if (state.readOnly) throw new LsmError(ErrorCode.ReadOnly, `the database refuses writes: ${state.readOnly}`);
  const first = state.version.lastSequence + 1;
  const { writes, asBatch } = seal(record, first);
  const hex = state.trace.hexOf(writes);
  // 1. The WAL first. A failed append is cut back off the log and the write fails: nothing happened.
  const now = state.settings.durability === 'durable';
  const appended = state.wal.appendRecord(record, now);
  state.counters.storageBytesWritten += appended.length;
  for (const w of writes) state.counters.userBytes += w.key.length + w.value.length;
  state.trace.walAppended(state.wal.name, appended, first, hex, asBatch);
  // Open transactions validate their reads against every write after their start (txn.ts): this one counts.
  state.txns.note(first, writes);
  const at = { file: state.wal.name, offset: appended.offset, length: appended.length, seq: first };
  // 2. Durable: flushed now (the seed's fsync), or with its group.
  let durable: Promise<void> = Promise.resolve();
  if (now) syncWal(state);
  else durable = joinGroup(state);
  // 3. Then the memtable, where reads will find it. The entries seal() decoded are fresh objects (views into the
  //    record, stamped first, first + 1, ...): each becomes the memtable's own, no second object per write.
  const keepFor = state.snapshots.newest();
  for (let i = 0; i < writes.length; i++) {
    const entry = writes[i]!;
    const { seq, key } = entry;
    state.version.lastSequence = seq;
    const height = state.memtable.apply(entry, keepFor);
    if (state.trace.on) {
      const snapshots = state.snapshots.sequences();
      state.trace.memtableInserted(hex[i]!, seq, state.memtable, state.settings.memtableBytes, height, key, snapshots);
    }
  }
  // The memtable holds the record now: once it is flushed, the record's chunk may go back (memtable/arena.ts).
  state.arena.settle(record);
  // Its time, for the expiry filter, while one is set: the flush that makes it durable in a table writes it to the
  // manifest. (Not otherwise: every flush's manifest record would grow for a filter nobody asked for.)
  if (state.settings.filterTtlMs > 0) {
    state.pendingTimes = noteWrites(state.pendingTimes, first, first + writes.length - 1, state.clock());
  }
  // 4. A full memtable becomes an SSTable, and compactions follow, before the write is acknowledged: no
  //    background threads here, so every step stays visible and in order. The write itself is already
  //    safe in the WAL, so if this work fails, the write still stands and the work is tried again later.
  state.memtable.holdRecord(record.length);
  if (
    state.memtable.bytes >= state.settings.memtableBytes ||
    state.memtable.recordBytes >= recordBytesBound(state.settings.memtableBytes)
  ) {
    // With nobody listening, the flush goes off the write path (background-flush.ts): the write waits for a new WAL
    // and memtable only, and the commit and the compactions it calls for come in their own turns of the queue.
    const worker = backgroundWorker(state);
    if (worker) await afterWrite(state, 'flush', () => switchMemtable(state, worker, () => compactWhileNeeded(state)));
    else if (await afterWrite(state, 'flush', () => flushMemtable(state, 'threshold'))) {
      await afterWrite(state, 'compaction', () => compactWhileNeeded(state));
    }
  }
  return { durable, appended: at };
}

/**
 * Work that follows a write the WAL already holds: its failure is reported as `operation`'s (failure.ts decides
 * whether the tree may write on), not thrown: the write stands, and the work is tried again after the next write.
 * False when it failed.
 */
async function afterWrite(
  state: LsmState,
  operation: 'flush' | 'compaction',
  work: () => Promise<unknown>,
): Promise<boolean> {
  try {
    await work();
    return true;
  } catch (error) {
    failed(state, error, operation);
    return false;
  }
}

/**
 * How many bytes of WAL records a memtable may hold views into before it is flushed whatever its size: overwrites
 * of a few hot keys keep its entries small while every record stays in memory for the entries it holds. At least
 * 4 MiB, so that a classroom's tiny memtable never flushes early for it; 4 times the limit above that.
 */
export function recordBytesBound(memtableBytes: number): number {
  return Math.max(4 * memtableBytes, 4 * 1024 * 1024);
}

/**
 * A put's or delete's WAL record, in the arena: framed (log/format.ts), its entry encoded (key and value copied in)
 * with sequence number 0 until seal() stamps the real one.
 */
export function entryRecord(arena: Arena, op: Op, key: Uint8Array, value: Uint8Array): Uint8Array {
  const record = newRecord(entrySize(key.length, value.length), (length) => arena.alloc(length));
  encodeEntry({ op, seq: 0, key, value }, recordPayload(record), 0);
  return record;
}

/**
 * Stamps a record's first sequence number and seals it with its checksum; returns the writes it holds, read back
 * from it as views, exactly as recovery would read them. A batch's payload starts with op 3 (codec/batch.ts), a
 * single write's with its entry's op.
 */
function seal(record: Uint8Array, first: number): { writes: readonly Entry[]; asBatch: boolean } {
  const payload = recordPayload(record);
  stampSequence(payload, first);
  sealRecord(record);
  if (payload[0] === OP_BATCH) return { writes: decodeBatch(payload, 0, payload.length)!, asBatch: true };
  return { writes: [decodeEntry(payload, 0, payload.length)!], asBatch: false };
}
