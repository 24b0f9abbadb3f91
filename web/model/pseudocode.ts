// The engine's algorithms as a student reads them, line by line, and which line each event is.
// The panel highlights the line of the step being shown. A line's words are a getter calling `t` (namespace
// `model`), so that the panel reads in the language chosen now; code identifiers stay as code.
import { t } from '../i18n';
// Its messages, before any sentence is read (see web/i18n/model.ts).
import '../i18n/model';
import type { TimelineEvent } from './timeline';
import type { ViewModel } from './view';

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
      {
        id: 'w-flush',
        get text() {
          return t('model:code.w-flush');
        },
        indent: 0,
      },
      { id: 'w-insert', text: 'memtable.insert(key, value)', indent: 0 },
      { id: 'w-full', text: 'if memtable.bytes ≥ limit: flush()', indent: 0 },
    ],
  },
  flush: {
    title: 'flush()',
    lines: [
      {
        id: 'f-begin',
        get text() {
          return t('model:code.f-begin');
        },
        indent: 0,
      },
      {
        id: 'f-wal',
        get text() {
          return t('model:code.f-wal');
        },
        indent: 0,
      },
      {
        id: 'f-write',
        get text() {
          return t('model:code.f-write');
        },
        indent: 0,
      },
      {
        id: 'f-commit',
        get text() {
          return t('model:code.f-commit');
        },
        indent: 0,
      },
      {
        id: 'f-remove',
        get text() {
          return t('model:code.f-remove');
        },
        indent: 0,
      },
      {
        id: 'f-end',
        get text() {
          return t('model:code.f-end');
        },
        indent: 0,
      },
    ],
  },
  read: {
    title: 'get(key)',
    lines: [
      {
        id: 'r-begin',
        get text() {
          return t('model:code.r-begin');
        },
        indent: 0,
      },
      {
        id: 'r-mem',
        get text() {
          return t('model:code.r-mem');
        },
        indent: 1,
      },
      {
        id: 'r-table',
        get text() {
          return t('model:code.r-table');
        },
        indent: 0,
      },
      {
        id: 'r-check',
        get text() {
          return t('model:code.r-check');
        },
        indent: 1,
      },
      {
        id: 'r-index',
        get text() {
          return t('model:code.r-index');
        },
        indent: 1,
      },
      {
        id: 'r-read',
        get text() {
          return t('model:code.r-read');
        },
        indent: 1,
      },
      {
        id: 'r-block',
        get text() {
          return t('model:code.r-block');
        },
        indent: 1,
      },
      {
        id: 'r-end',
        get text() {
          return t('model:code.r-end');
        },
        indent: 0,
      },
    ],
  },
  scan: {
    title: 'scan(start, end)',
    lines: [
      {
        id: 's-snap',
        get text() {
          return t('model:code.s-snap');
        },
        indent: 0,
      },
      {
        id: 's-open',
        get text() {
          return t('model:code.s-open');
        },
        indent: 0,
      },
      {
        id: 's-min',
        get text() {
          return t('model:code.s-min');
        },
        indent: 0,
      },
      {
        id: 's-step',
        get text() {
          return t('model:code.s-step');
        },
        indent: 1,
      },
      {
        id: 's-emit',
        get text() {
          return t('model:code.s-emit');
        },
        indent: 1,
      },
      {
        id: 's-end',
        get text() {
          return t('model:code.s-end');
        },
        indent: 0,
      },
    ],
  },
  snapshot: {
    title: 'snapshot()',
    lines: [
      {
        id: 'n-take',
        get text() {
          return t('model:code.n-take');
        },
        indent: 0,
      },
      {
        id: 'n-read',
        get text() {
          return t('model:code.n-read');
        },
        indent: 0,
      },
      {
        id: 'n-keep',
        get text() {
          return t('model:code.n-keep');
        },
        indent: 0,
      },
      {
        id: 'n-release',
        get text() {
          return t('model:code.n-release');
        },
        indent: 0,
      },
    ],
  },
  compaction: {
    title: 'compact()',
    lines: [
      {
        id: 'c-pick',
        get text() {
          return t('model:code.c-pick');
        },
        indent: 0,
      },
      {
        id: 'c-merge',
        get text() {
          return t('model:code.c-merge');
        },
        indent: 0,
      },
      {
        id: 'c-write',
        get text() {
          return t('model:code.c-write');
        },
        indent: 0,
      },
      {
        id: 'c-commit',
        get text() {
          return t('model:code.c-commit');
        },
        indent: 0,
      },
      {
        id: 'c-remove',
        get text() {
          return t('model:code.c-remove');
        },
        indent: 0,
      },
    ],
  },
  txn: {
    title: 'transaction()',
    lines: [
      {
        id: 't-begin',
        get text() {
          return t('model:code.t-begin');
        },
        indent: 0,
      },
      {
        id: 't-write',
        get text() {
          return t('model:code.t-write');
        },
        indent: 0,
      },
      {
        id: 't-read',
        get text() {
          return t('model:code.t-read');
        },
        indent: 0,
      },
      {
        id: 't-check',
        get text() {
          return t('model:code.t-check');
        },
        indent: 0,
      },
      {
        id: 't-commit',
        get text() {
          return t('model:code.t-commit');
        },
        indent: 0,
      },
      {
        id: 't-abort',
        get text() {
          return t('model:code.t-abort');
        },
        indent: 0,
      },
    ],
  },
  recovery: {
    title: 'open() = recover()',
    lines: [
      {
        id: 'o-list',
        get text() {
          return t('model:code.o-list');
        },
        indent: 0,
      },
      {
        id: 'o-manifest',
        get text() {
          return t('model:code.o-manifest');
        },
        indent: 0,
      },
      {
        id: 'o-delete',
        get text() {
          return t('model:code.o-delete');
        },
        indent: 0,
      },
      {
        id: 'o-replay',
        get text() {
          return t('model:code.o-replay');
        },
        indent: 0,
      },
      {
        id: 'o-torn',
        get text() {
          return t('model:code.o-torn');
        },
        indent: 1,
      },
      {
        id: 'o-end',
        get text() {
          return t('model:code.o-end');
        },
        indent: 0,
      },
    ],
  },
};

/** What lineOf needs to know of the picture: a flush, a compaction or a scan under way (the view folded so far). */
export const codeContext = {
  inFlush: (view: ViewModel) => view.memtable.flushing,
  inCompaction: (view: ViewModel) => view.compaction !== null && !view.compaction.done && !view.compaction.failed,
  inScan: (view: ViewModel) => view.scan !== null && !view.scan.done && !view.scan.stale,
};

/** The section and line an event belongs to, if it is one of the algorithms above. */
export function lineOf(
  event: TimelineEvent,
  inFlush: boolean,
  inCompaction: boolean,
  inScan = false,
): { section: string; line: string } | undefined {
  switch (event.type) {
    case 'corruption':
      // Where the checksum failed: the log or the manifest a recovery read, the inputs a compaction merged, the
      // blocks a scan went through, or the one block a get read.
      if (event.file.endsWith('.log')) return { section: 'recovery', line: 'o-replay' };
      if (event.file.startsWith('MANIFEST')) return { section: 'recovery', line: 'o-manifest' };
      if (inCompaction) return { section: 'compaction', line: 'c-merge' };
      return inScan ? { section: 'scan', line: 's-step' } : { section: 'read', line: 'r-read' };
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
      // An output of a compaction that failed is not one of the inputs the line deletes.
      return event.uncommitted ? undefined : { section: 'compaction', line: 'c-remove' };
    case 'compaction.end':
      return { section: 'compaction', line: 'c-remove' };
    case 'compaction.fail':
      // Where it stopped: the merge, when it met corruption there; a failed write or commit has no line of its own.
      return event.file === undefined ? undefined : { section: 'compaction', line: 'c-merge' };
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
