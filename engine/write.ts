// The write path, in the order that makes a write durable (LevelDB's DBImpl::Write): WAL record, flush (now, or
// with its group: group-commit.ts), memtable. A put or delete and a WriteBatch take the same path: each arrives
// as one WAL record (a put's holds one entry, a batch's several under one checksum: all or none after a crash)
// whose writes take consecutive sequence numbers.
import { type BatchWrite, decodeBatch, sealBatchRecord } from './codec/batch';
import { encodeEntry, entrySize } from './codec/entry';
import { compactWhileNeeded } from './compaction/execute';
import { ErrorCode, LsmError } from './errors';
import { workFailed } from './failure';
import { flushMemtable } from './flush';
import { joinGroup, syncWal } from './group-commit';
import { frameRecord, RECORD_HEADER_SIZE } from './log/format';
import type { LsmState } from './state';

/**
 * One write (a put or delete), or one batch of writes as its WAL record (batch.ts). Resolves, inside the queue,
 * with a promise of durability that put() awaits outside it, so that with group commit the next writes can join
 * the same flush. (Wrapped in an object: an async function returning a bare promise would hand back its
 * settlement instead, and the queue would wait for the group it is filling.)
 */
export async function write(state: LsmState, write: BatchWrite | Uint8Array): Promise<{ durable: Promise<void> }> {
  if (state.readOnly) throw new LsmError(ErrorCode.ReadOnly, `the database refuses writes: ${state.readOnly}`);
  const first = state.version.lastSequence + 1;
  const { record, writes, asBatch } = walRecord(write, first);
  const hex = state.trace.hexOf(writes);
  // 1. The WAL first. A failed append is cut back off the log and the write fails: nothing happened.
  const now = state.settings.durability === 'durable';
  const appended = state.wal.appendRecord(record, now);
  state.counters.storageBytesWritten += appended.length;
  for (const w of writes) state.counters.userBytes += w.key.length + w.value.length;
  state.trace.walAppended(state.wal.name, appended, first, hex, asBatch);
  // 2. Durable: flushed now (the seed's fsync), or with its group.
  let durable: Promise<void> = Promise.resolve();
  if (now) syncWal(state);
  else durable = joinGroup(state);
  // 3. Then the memtable, where reads will find it.
  for (let i = 0; i < writes.length; i++) {
    const { op, key, value } = writes[i]!;
    const seq = first + i;
    state.version.lastSequence = seq;
    const height = state.memtable.apply({ op, seq, key, value }, state.snapshots.newest());
    if (state.trace.on) {
      state.trace.memtableInserted(hex[i]!, seq, state.memtable, state.settings.memtableBytes, height, key);
    }
  }
  // 4. A full memtable becomes an SSTable, and compactions follow, before the write is acknowledged: no
  //    background threads here, so every step stays visible and in order. The write itself is already
  //    safe in the WAL, so if this work fails, the write still stands and the work is tried again later.
  if (state.memtable.bytes >= state.settings.memtableBytes) {
    try {
      await flushMemtable(state, 'threshold');
      await compactWhileNeeded(state);
    } catch (error) {
      workFailed(state, error, 'flush');
    }
  }
  return { durable };
}

/**
 * The WAL record a write goes in, and the writes it holds. A batch arrives as its record, made by WriteBatch:
 * sealed with its first sequence number here, its writes read back from it as views, exactly as recovery would
 * read them. A single write becomes a record of one entry.
 */
function walRecord(
  write: BatchWrite | Uint8Array,
  first: number,
): { record: Uint8Array; writes: readonly BatchWrite[]; asBatch: boolean } {
  if (write instanceof Uint8Array) {
    sealBatchRecord(write, first);
    return { record: write, writes: decodeBatch(write, RECORD_HEADER_SIZE, write.length)!, asBatch: true };
  }
  const payload = new Uint8Array(entrySize(write.key.length, write.value.length));
  encodeEntry({ ...write, seq: first }, payload, 0);
  return { record: frameRecord(payload), writes: [write], asBatch: false };
}
