// The engine's algorithms as a student reads them, line by line, and which line each event is.
// The panel highlights the line of the step being shown.
import type { TimelineEvent } from './timeline';

export interface CodeLine {
  id: string;
  text: string;
  indent: number;
}

export const PSEUDOCODE: Record<string, { title: string; lines: CodeLine[] }> = {
  write: {
    title: 'put(key, value)',
    lines: [
      { id: 'w-append', text: 'wal.append(op, seq, key, value)', indent: 0 },
      { id: 'w-flush', text: 'wal.flush()            // durable from here', indent: 0 },
      { id: 'w-insert', text: 'memtable.insert(key, value)', indent: 0 },
      { id: 'w-full', text: 'if memtable.bytes ≥ limit: flush()', indent: 0 },
    ],
  },
  flush: {
    title: 'flush()',
    lines: [
      { id: 'f-begin', text: 'freeze the memtable', indent: 0 },
      { id: 'f-wal', text: 'start a new, empty WAL', indent: 0 },
      { id: 'f-write', text: 'write sorted entries → blocks, index, bloom, footer; flush the .sst', indent: 0 },
      { id: 'f-commit', text: 'manifest.append(add .sst) + flush   // the commit', indent: 0 },
      { id: 'f-remove', text: 'delete the old WAL', indent: 0 },
      { id: 'f-end', text: 'memtable = new empty memtable', indent: 0 },
    ],
  },
  read: {
    title: 'get(key)',
    lines: [
      { id: 'r-begin', text: 'look in the memtable', indent: 0 },
      { id: 'r-mem', text: 'found (or a tombstone)? return it', indent: 1 },
      { id: 'r-table', text: 'for each SSTable, newest first:', indent: 0 },
      { id: 'r-check', text: 'key outside its range, or bloom says no? skip it', indent: 1 },
      { id: 'r-index', text: 'index → the one block that can hold key', indent: 1 },
      { id: 'r-read', text: 'read that block; verify its checksum', indent: 1 },
      { id: 'r-block', text: 'binary search in the block; found? return it', indent: 1 },
      { id: 'r-end', text: 'not found', indent: 0 },
    ],
  },
  scan: {
    title: 'scan(start, end)',
    lines: [
      { id: 's-snap', text: 'at = the snapshot given, or take one now   // later writes stay invisible', indent: 0 },
      { id: 's-open', text: 'open a cursor at start on the memtable and on every SSTable', indent: 0 },
      { id: 's-min', text: 'repeat: key = the smallest key under the cursors (< end)', indent: 0 },
      { id: 's-step', text: 'of its versions with seq ≤ at, the newest wins; move every cursor past key', indent: 1 },
      { id: 's-emit', text: 'a put? return (key, value)   a tombstone? leave key out', indent: 1 },
      { id: 's-end', text: 'no key left in range: done; release a snapshot taken for the scan', indent: 0 },
    ],
  },
  snapshot: {
    title: 'snapshot()',
    lines: [
      { id: 'n-take', text: 's = lastSequence            // a number: nothing is copied', indent: 0 },
      { id: 'n-read', text: 'get(key, s): the newest version of key with seq ≤ s', indent: 0 },
      { id: 'n-keep', text: 'flush, compaction: keep each version some live snapshot sees', indent: 0 },
      { id: 'n-release', text: 's.release(): what only s saw may now be dropped', indent: 0 },
    ],
  },
  compaction: {
    title: 'compact()',
    lines: [
      { id: 'c-pick', text: 'task = pick(levels)      // the highest score ≥ 1', indent: 0 },
      { id: 'c-merge', text: 'merge inputs, newest version wins, drop what is dead', indent: 0 },
      { id: 'c-write', text: 'write the outputs; flush them', indent: 0 },
      { id: 'c-commit', text: 'manifest.append(remove inputs, add outputs)   // the commit', indent: 0 },
      { id: 'c-remove', text: 'delete the inputs', indent: 0 },
    ],
  },
  txn: {
    title: 'transaction()',
    lines: [
      { id: 't-begin', text: 'tx = begin(): s = lastSequence; workspace = {}   // a snapshot', indent: 0 },
      { id: 't-write', text: 'tx.put / tx.delete: workspace[key] = value or a tombstone   // private', indent: 0 },
      { id: 't-read', text: 'tx.get / tx.scan: workspace first, then the tree at s; note what was read', indent: 0 },
      { id: 't-check', text: 'commit: a write after s to a key read or a range scanned? refuse it', indent: 0 },
      { id: 't-commit', text: 'else wal.append(workspace as one batch), as put() does   // all or none', indent: 0 },
      { id: 't-abort', text: 'abort, or refused: drop the workspace; release s', indent: 0 },
    ],
  },
  recovery: {
    title: 'open() = recover()',
    lines: [
      { id: 'o-list', text: 'list the files; memory starts empty', indent: 0 },
      { id: 'o-manifest', text: 'replay the manifest → live SSTables, log number', indent: 0 },
      { id: 'o-delete', text: 'delete files no committed state needs', indent: 0 },
      { id: 'o-replay', text: 'for each WAL record: memtable.insert(record)', indent: 0 },
      { id: 'o-torn', text: 'a torn last record? cut it off (it was never acknowledged)', indent: 1 },
      { id: 'o-end', text: 'continue writing at the end of the newest WAL', indent: 0 },
    ],
  },
};

/** The section and line an event belongs to, if it is one of the algorithms above. */
export function lineOf(
  event: TimelineEvent,
  inFlush: boolean,
  inCompaction: boolean,
): { section: string; line: string } | undefined {
  switch (event.type) {
    case 'wal.append':
    case 'wal.batch':
      return { section: 'write', line: 'w-append' };
    case 'wal.flush':
      return { section: 'write', line: 'w-flush' };
    case 'memtable.insert':
      return { section: 'write', line: 'w-insert' };
    case 'flush.begin':
      return { section: 'flush', line: 'f-begin' };
    case 'wal.create':
      return inFlush ? { section: 'flush', line: 'f-wal' } : undefined;
    case 'sstable.write':
      return inCompaction ? { section: 'compaction', line: 'c-write' } : { section: 'flush', line: 'f-write' };
    case 'manifest.edit':
      return inCompaction ? { section: 'compaction', line: 'c-commit' } : { section: 'flush', line: 'f-commit' };
    case 'wal.remove':
      return { section: 'flush', line: 'f-remove' };
    case 'flush.end':
      return { section: 'flush', line: 'f-end' };
    case 'read.begin':
      return { section: 'read', line: 'r-begin' };
    case 'snapshot.take':
      return event.implicit ? { section: 'scan', line: 's-snap' } : { section: 'snapshot', line: 'n-take' };
    case 'snapshot.release':
      return event.implicit ? { section: 'scan', line: 's-end' } : { section: 'snapshot', line: 'n-release' };
    case 'snapshot.kept':
      return { section: 'snapshot', line: 'n-keep' };
    case 'scan.begin':
      return { section: 'scan', line: 's-open' };
    case 'scan.step':
      return { section: 'scan', line: 's-step' };
    case 'scan.end':
      return { section: 'scan', line: 's-end' };
    case 'read.memtable':
      return { section: 'read', line: event.found === 'absent' ? 'r-table' : 'r-mem' };
    case 'read.bloom':
      return { section: 'read', line: 'r-check' };
    case 'read.index':
      return { section: 'read', line: 'r-index' };
    case 'read.block':
      return { section: 'read', line: 'r-read' };
    case 'read.compare':
      return { section: 'read', line: 'r-block' };
    case 'read.sstable':
      return {
        section: 'read',
        line: event.found === 'out-of-range' || event.found === 'bloom-negative' ? 'r-check' : 'r-block',
      };
    case 'read.end':
      // Answered by the memtable (a value or a tombstone): the read never reached an SSTable's block.
      if (event.source === 'memtable') return { section: 'read', line: 'r-mem' };
      return { section: 'read', line: event.found ? 'r-block' : 'r-end' };
    case 'compaction.begin':
      return { section: 'compaction', line: 'c-pick' };
    case 'compaction.progress':
      return { section: 'compaction', line: 'c-merge' };
    case 'sstable.remove':
    case 'compaction.end':
      return { section: 'compaction', line: 'c-remove' };
    case 'recovery.begin':
      return { section: 'recovery', line: 'o-list' };
    case 'recovery.edit':
    case 'recovery.manifest':
      return { section: 'recovery', line: 'o-manifest' };
    case 'recovery.delete':
      return { section: 'recovery', line: 'o-delete' };
    case 'recovery.replay':
      return { section: 'recovery', line: 'o-replay' };
    case 'recovery.torn-tail':
      return { section: 'recovery', line: 'o-torn' };
    case 'recovery.end':
      return { section: 'recovery', line: 'o-end' };
    case 'txn.begin':
      return { section: 'txn', line: 't-begin' };
    case 'txn.write':
      return { section: 'txn', line: 't-write' };
    case 'txn.read':
      return { section: 'txn', line: 't-read' };
    case 'txn.conflict':
      return { section: 'txn', line: 't-check' };
    case 'txn.commit':
      return { section: 'txn', line: 't-commit' };
    case 'txn.abort':
      return { section: 'txn', line: 't-abort' };
    default:
      return undefined;
  }
}
