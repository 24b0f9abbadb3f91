// Plain words for each step, for the event log (which is also the screen reader's narration).
// Every sentence comes from the `model` message file (`narrate.*`), in the language chosen when it is called: the
// store keeps the event and narrates it at render time (store/player.ts), so the log follows a change of language.

import type { CrashPoint } from '@lsm-lab/engine/worker';
import { t } from '../i18n';
// Its messages, before any sentence is read (see web/i18n/model.ts).
import '../i18n/model';
import { showBytes, showCount, showSize } from './display';
import type { TimelineEvent } from './timeline';

/** Where a crash point strikes, in words (the Crash lab's menu and the messages that name it). */
export function crashPointText(point: CrashPoint): string {
  switch (point) {
    case 'wal-append':
      return t('model:crashPoints.walAppend');
    case 'before-memtable':
      return t('model:crashPoints.beforeMemtable');
    case 'mid-sstable':
      return t('model:crashPoints.midSstable');
    case 'before-manifest':
      return t('model:crashPoints.beforeManifest');
    case 'mid-compaction':
      return t('model:crashPoints.midCompaction');
  }
}

/** The crash points, each read in the language chosen now (`CRASH_POINTS[p]`). */
export const CRASH_POINTS = {
  get 'wal-append'() {
    return crashPointText('wal-append');
  },
  get 'before-memtable'() {
    return crashPointText('before-memtable');
  },
  get 'mid-sstable'() {
    return crashPointText('mid-sstable');
  },
  get 'before-manifest'() {
    return crashPointText('before-manifest');
  },
  get 'mid-compaction'() {
    return crashPointText('mid-compaction');
  },
} as const;

/**
 * A list of names for the caption, which has two lines: the first few, then how many more ("a, b, c, d and 9
 * more"). A compaction of a deep tree names dozens of files; the picture draws every one.
 */
export function few(names: readonly string[], shown = 4): string {
  if (names.length <= shown + 1) return names.join(', ');
  return t('model:narrate.few', { names: names.slice(0, shown).join(', '), count: names.length - shown });
}

// Counts with their nouns ("1 entry", "2 entries"), with the thousands separators English uses.
const writes = (n: number) => t('model:narrate.n.write', { count: n, n: showCount(n) });
const entries = (n: number) => t('model:narrate.n.entry', { count: n, n: showCount(n) });
const blocks = (n: number) => t('model:narrate.n.block', { count: n, n: showCount(n) });
const olderVersions = (n: number) => t('model:narrate.n.olderVersion', { count: n, n: showCount(n) });
const keys = (n: number) => t('model:narrate.n.key', { count: n, n: showCount(n) });
const sstables = (n: number) => t('model:narrate.n.sstable', { count: n, n: showCount(n) });
const sortedSources = (n: number) => t('model:narrate.n.sortedSource', { count: n, n: showCount(n) });
const pairs = (n: number) => t('model:narrate.n.pair', { count: n, n: showCount(n) });
const deletedKeys = (n: number) => t('model:narrate.n.deletedKey', { count: n, n: showCount(n) });
const files = (n: number) => t('model:narrate.n.file', { count: n, n: showCount(n) });
const records = (n: number) => t('model:narrate.n.record', { count: n, n: showCount(n) });
const liveSstables = (n: number) => t('model:narrate.n.liveSstable', { count: n, n: showCount(n) });
const bytes = (n: number) => t('model:narrate.n.byte', { count: n, n: showCount(n) });
const walRecords = (n: number) => t('model:narrate.n.walRecord', { count: n, n: showCount(n) });
const values = (n: number) => t('model:narrate.n.value', { count: n, n: showCount(n) });
const tombstones = (n: number) => t('model:narrate.n.tombstone', { count: n, n: showCount(n) });
const logName = (n: number) => `${String(n).padStart(6, '0')}.log`;
const memtableOr = (source: string | null) => (source === 'memtable' ? t('model:narrate.theMemtable') : source);

export function narrate(event: TimelineEvent): string {
  switch (event.type) {
    case 'wal.append': {
      const p = { key: showBytes(event.key), file: event.file, offset: event.offset, length: event.length };
      return event.op === 'put'
        ? t('model:narrate.walAppend.put', { ...p, value: showBytes(event.value) })
        : t('model:narrate.walAppend.delete', p);
    }
    case 'wal.batch':
      return t('model:narrate.walBatch', {
        writes: writes(event.writes.length),
        file: event.file,
        offset: event.offset,
        length: event.length,
      });
    case 'wal.flush':
      return t('model:narrate.walFlush', { file: event.file, size: showSize(event.size) });
    case 'wal.create':
      return t('model:narrate.walCreate', { file: event.file });
    case 'wal.remove':
      return t('model:narrate.walRemove', { file: event.file });
    case 'memtable.insert': {
      const p = {
        key: showBytes(event.key),
        entries: entries(event.entries),
        bytes: showSize(event.bytes),
        limit: showSize(event.limit),
      };
      return event.op === 'put'
        ? t('model:narrate.memtableInsert.put', p)
        : t('model:narrate.memtableInsert.delete', p);
    }
    case 'flush.begin':
      return event.reason === 'threshold'
        ? t('model:narrate.flushBegin.threshold', { bytes: showSize(event.bytes), entries: entries(event.entries) })
        : t('model:narrate.flushBegin.requested', { entries: entries(event.entries) });
    case 'sstable.write':
      return t('model:narrate.sstableWrite', {
        file: event.table.file,
        size: showSize(event.table.size),
        entries: entries(event.table.entries),
        blocks: blocks(event.table.blocks),
        smallest: showBytes(event.table.smallest),
        largest: showBytes(event.table.largest),
      });
    case 'manifest.edit':
      return event.added.length > 0
        ? t('model:narrate.manifestEdit.added', {
            file: event.file,
            offset: event.offset,
            tables: few(event.added.map((a) => a.file)),
          })
        : t('model:narrate.manifestEdit.new', { file: event.file, log: logName(event.logNumber) });
    case 'snapshot.take':
      return event.implicit
        ? t('model:narrate.snapshotTake.implicit', { seq: event.seq })
        : t('model:narrate.snapshotTake.explicit', { seq: event.seq });
    case 'snapshot.release':
      return event.implicit
        ? t('model:narrate.snapshotRelease.implicit', { seq: event.seq })
        : t('model:narrate.snapshotRelease.explicit', { seq: event.seq });
    case 'snapshot.kept': {
      const p = { versions: olderVersions(event.versions), snapshots: few(event.snapshots.map(String)) };
      return event.by === 'flush'
        ? t('model:narrate.snapshotKept.flush', p)
        : t('model:narrate.snapshotKept.compaction', p);
    }
    case 'manifest.roll': {
      const p = {
        to: event.to,
        toSize: showSize(event.toSize),
        from: event.from,
        fromSize: showSize(event.fromSize),
      };
      return event.removed ? t('model:narrate.manifestRoll.deleted', p) : t('model:narrate.manifestRoll.left', p);
    }
    case 'flush.end':
      return t('model:narrate.flushEnd', { table: event.table, wal: event.wal });
    case 'read.begin':
      return t('model:narrate.readBegin', { key: showBytes(event.key) });
    case 'read.memtable':
      return event.found === 'value'
        ? t('model:narrate.readMemtable.value')
        : event.found === 'tombstone'
          ? t('model:narrate.readMemtable.tombstone')
          : t('model:narrate.readMemtable.none');
    case 'read.bloom': {
      const unset = event.bloom.probes.filter((_, i) => !event.bloom.set[i]);
      return event.maybe
        ? t('model:narrate.readBloom.maybe', { file: event.file, level: event.level, count: event.bloom.probes.length })
        : t('model:narrate.readBloom.no', { file: event.file, level: event.level, bit: unset[0] });
    }
    case 'read.index':
      return t('model:narrate.readIndex', {
        file: event.file,
        chosen: event.index.chosen,
        blocks: event.index.blocks,
        key: showBytes(event.key),
      });
    case 'read.block': {
      const p = {
        file: event.file,
        block: event.block,
        size: showSize(event.blockSize),
        offset: event.blockOffset,
        entries: entries(event.entries),
      };
      return event.cached ? t('model:narrate.readBlock.cached', p) : t('model:narrate.readBlock.read', p);
    }
    case 'read.compare': {
      const p = { entry: event.entry, with: showBytes(event.with), key: showBytes(event.key) };
      if (event.restart !== undefined) {
        const q = { ...p, restart: event.restart };
        return event.order < 0
          ? t('model:narrate.readCompare.restartBefore', q)
          : t('model:narrate.readCompare.restartNotBefore', q);
      }
      if (event.run !== undefined) {
        const q = { ...p, run: event.run };
        return event.order === 0
          ? t('model:narrate.readCompare.runFound', q)
          : event.order < 0
            ? t('model:narrate.readCompare.runBefore', q)
            : t('model:narrate.readCompare.runAfter', q);
      }
      return event.order === 0
        ? t('model:narrate.readCompare.found', p)
        : event.order < 0
          ? t('model:narrate.readCompare.before', p)
          : t('model:narrate.readCompare.after', p);
    }
    case 'read.sstable': {
      if (event.found === 'out-of-range') return t('model:narrate.readSstable.outOfRange', { file: event.file });
      if (event.found === 'bloom-negative')
        return t('model:narrate.readSstable.bloomNegative', { file: event.file, level: event.level });
      const outcome =
        event.found === 'value'
          ? t('model:narrate.readSstable.found')
          : event.found === 'tombstone'
            ? t('model:narrate.readSstable.tombstone')
            : t('model:narrate.readSstable.notThere');
      const p = { file: event.file, level: event.level, block: event.block, outcome };
      return event.search
        ? t('model:narrate.readSstable.searched', { ...p, keys: keys(event.search.compared.length) })
        : t('model:narrate.readSstable.block', p);
    }
    case 'read.end': {
      const cost = t('model:narrate.readEnd.cost', {
        tables: sstables(event.tablesChecked),
        skips: event.bloomSkips,
        blocks: blocks(event.blocksRead),
      });
      const key = showBytes(event.key);
      if (event.found)
        return t('model:narrate.readEnd.found', { key, value: showBytes(event.value), source: event.source, cost });
      if (event.hidden) {
        const older =
          event.hidden.value === null
            ? t('model:narrate.readEnd.olderTombstone')
            : t('model:narrate.readEnd.olderValue', { value: showBytes(event.hidden.value) });
        return t('model:narrate.readEnd.hidden', {
          key,
          source: memtableOr(event.source),
          older,
          in: event.hidden.source,
          cost,
        });
      }
      return t('model:narrate.readEnd.notFound', { key, cost });
    }
    case 'compaction.begin':
      // The reason is the engine's own sentence (English only).
      return event.trivialMove
        ? t('model:narrate.compactionBegin.move', {
            strategy: event.strategy,
            reason: event.reason,
            input: event.inputs[0],
            level: event.outputLevel,
          })
        : event.dropTombstones
          ? t('model:narrate.compactionBegin.mergeDrop', {
              strategy: event.strategy,
              reason: event.reason,
              inputs: few(event.inputs),
              level: event.outputLevel,
            })
          : t('model:narrate.compactionBegin.merge', {
              strategy: event.strategy,
              reason: event.reason,
              inputs: few(event.inputs),
              level: event.outputLevel,
            });
    case 'compaction.progress':
      return t('model:narrate.compactionProgress', { read: event.entriesRead, written: event.entriesWritten });
    case 'compaction.end': {
      if (event.entriesRead === 0)
        return t('model:narrate.compactionEnd.moved', { outputs: few(event.outputs), level: event.outputLevel });
      const p = {
        read: event.entriesRead,
        written: event.entriesWritten,
        older: olderVersions(event.droppedShadowed),
        tombstones: tombstones(event.droppedTombstones),
        outputs: event.outputs.length === 0 ? t('model:narrate.compactionEnd.nothingLeft') : few(event.outputs),
        level: event.outputLevel,
      };
      return event.filtered
        ? t('model:narrate.compactionEnd.filtered', {
            ...p,
            values: values(event.filtered.prefix + event.filtered.ttl),
          })
        : t('model:narrate.compactionEnd.merged', p);
    }
    case 'sstable.remove':
      return event.uncommitted
        ? t('model:narrate.sstableRemoveUncommitted', { file: event.file })
        : t('model:narrate.sstableRemove', { file: event.file });
    case 'compaction.fail':
      // The message is the engine's own words (English only).
      return event.file === undefined
        ? t('model:narrate.compactionFail.other', {
            level: event.outputLevel,
            inputs: few(event.inputs),
            message: event.message,
          })
        : t('model:narrate.compactionFail.corrupt', {
            level: event.outputLevel,
            inputs: few(event.inputs),
            file: event.file,
            offset: event.offset ?? 0,
          });
    case 'scan.begin': {
      const p = {
        start: event.start === null ? t('model:narrate.scanBegin.firstKey') : showBytes(event.start),
        sources: sortedSources(event.sources.length),
        names: few(event.sources),
      };
      return event.end === null
        ? t('model:narrate.scanBegin.open', p)
        : t('model:narrate.scanBegin.range', { ...p, end: showBytes(event.end) });
    }
    case 'scan.step': {
      const from = memtableOr(event.source);
      const passed = event.skipped.map((v) =>
        v.why === 'shadowed'
          ? t('model:narrate.scanStep.passedOlder', { seq: v.seq, source: memtableOr(v.source) })
          : t('model:narrate.scanStep.passedNewer', { seq: v.seq, source: memtableOr(v.source) }),
      );
      const won =
        event.op === 'put'
          ? t('model:narrate.scanStep.wonValue', { value: showBytes(event.value), from, seq: event.seq })
          : t('model:narrate.scanStep.wonTombstone', { from, seq: event.seq });
      return passed.length
        ? t('model:narrate.scanStep.passed', { key: showBytes(event.key), won, passed: passed.join(', ') })
        : t('model:narrate.scanStep.plain', { key: showBytes(event.key), won });
    }
    case 'scan.end':
      return t('model:narrate.scanEnd', {
        pairs: pairs(event.count),
        older: olderVersions(event.shadowed),
        deleted: deletedKeys(event.tombstones),
      });
    case 'recovery.begin':
      return event.files.length === 0
        ? t('model:narrate.recoveryBegin.empty')
        : t('model:narrate.recoveryBegin.found', {
            files: files(event.files.length),
            names: few(event.files.map((f) => f.file)),
          });
    case 'recovery.edit': {
      const adds = event.added.length
        ? t('model:narrate.recoveryEdit.adds', { files: event.added.join(', ') })
        : t('model:narrate.recoveryEdit.addsNothing');
      const p = { file: event.file, offset: event.offset, adds };
      return event.removed.length
        ? t('model:narrate.recoveryEdit.removes', { ...p, removed: event.removed.join(', ') })
        : t('model:narrate.recoveryEdit.plain', p);
    }
    case 'recovery.manifest':
      return t('model:narrate.recoveryManifest', {
        file: event.file,
        records: records(event.records),
        tables: liveSstables(event.tables.length),
        log: logName(event.logNumber),
      });
    case 'recovery.delete':
      // The reason is the engine's own words (English only).
      return t('model:narrate.recoveryDelete', { file: event.file, reason: event.reason });
    case 'recovery.replay': {
      const p = { key: showBytes(event.key), file: event.file, offset: event.offset };
      return event.op === 'put'
        ? t('model:narrate.recoveryReplay.put', p)
        : t('model:narrate.recoveryReplay.delete', p);
    }
    case 'recovery.torn-tail':
      return t('model:narrate.recoveryTornTail', {
        file: event.file,
        offset: event.offset,
        bytes: bytes(event.droppedBytes),
      });
    case 'recovery.end':
      if (event.created) return t('model:narrate.recoveryEnd.created', { wal: event.wal });
      return t('model:narrate.recoveryEnd.recovered', {
        records: walRecords(event.replayed),
        tables: sstables(event.tables),
        wal: event.wal,
      });
    case 'corruption':
      // The detail is the engine's own words (English only).
      return event.detail.includes(event.file)
        ? t('model:narrate.corruption.named', { detail: event.detail })
        : t('model:narrate.corruption.at', { file: event.file, offset: event.offset, detail: event.detail });
    case 'background.error': {
      const operation =
        event.operation === 'flush'
          ? t('model:narrate.operation.flush')
          : event.operation === 'compaction'
            ? t('model:narrate.operation.compaction')
            : event.operation === 'cleanup'
              ? t('model:narrate.operation.cleanup')
              : t('model:narrate.operation.walSync');
      const p = { operation, message: event.message };
      return event.readOnly
        ? t('model:narrate.backgroundError.readOnly', p)
        : t('model:narrate.backgroundError.retry', p);
    }
    case 'crash':
      return event.kind === 'power'
        ? t('model:narrate.crash.power', { entries: entries(event.memtableEntries) })
        : t('model:narrate.crash.process', { entries: entries(event.memtableEntries) });
    case 'crash.point':
      return event.kind === 'power'
        ? t('model:narrate.crashPoint.power', { where: crashPointText(event.point) })
        : t('model:narrate.crashPoint.process', { where: crashPointText(event.point) });
    case 'close':
      return t('model:narrate.close');
    case 'workload.begin':
      return t('model:narrate.workloadBegin', {
        operations: showCount(event.spec.operations),
        distribution: event.spec.distribution,
        updates: event.spec.updatePercent,
        deletes: event.spec.deletePercent,
      });
    case 'workload.progress':
      return t('model:narrate.workloadProgress', { done: showCount(event.done), total: showCount(event.total) });
    case 'workload.end': {
      const p = {
        done: showCount(event.done),
        seconds: (event.ms / 1000).toFixed(1),
        rate: showCount(Math.round((event.done / event.ms) * 1000)),
      };
      return event.cancelled ? t('model:narrate.workloadEnd.cancelled', p) : t('model:narrate.workloadEnd.finished', p);
    }
    case 'txn.begin':
      return event.serializable === false
        ? t('model:narrate.txnBegin.snapshotIsolation', { txn: event.txn, seq: event.seq })
        : t('model:narrate.txnBegin.serializable', { txn: event.txn, seq: event.seq });
    case 'txn.read': {
      if (event.key !== undefined) return t('model:narrate.txnRead.key', { txn: event.txn, key: showBytes(event.key) });
      const from = event.range?.start
        ? t('model:narrate.range.from', { key: showBytes(event.range.start) })
        : t('model:narrate.range.fromStart');
      const to = event.range?.end
        ? t('model:narrate.range.to', { key: showBytes(event.range.end) })
        : t('model:narrate.range.toEnd');
      return t('model:narrate.txnRead.range', { txn: event.txn, from, to });
    }
    case 'txn.write': {
      const p = { txn: event.txn, key: showBytes(event.key), keys: keys(event.workspace) };
      return event.op === 'put'
        ? t('model:narrate.txnWrite.put', { ...p, value: showBytes(event.value) })
        : t('model:narrate.txnWrite.delete', p);
    }
    case 'txn.commit':
      return event.record
        ? t('model:narrate.txnCommit.written', {
            txn: event.txn,
            writes: writes(event.writes),
            file: event.record.file,
            offset: event.record.offset,
          })
        : t('model:narrate.txnCommit.empty', { txn: event.txn });
    case 'txn.conflict': {
      if (!event.range)
        return t('model:narrate.txnConflict.key', {
          txn: event.txn,
          key: showBytes(event.key),
          begin: event.begin,
          seq: event.seq,
        });
      const from =
        event.range.start === null
          ? t('model:narrate.range.fromStart')
          : t('model:narrate.range.from', { key: showBytes(event.range.start) });
      const to =
        event.range.end === null
          ? t('model:narrate.range.toEnd')
          : t('model:narrate.range.to', { key: showBytes(event.range.end) });
      return t('model:narrate.txnConflict.range', {
        txn: event.txn,
        key: showBytes(event.key),
        seq: event.seq,
        from,
        to,
        begin: event.begin,
      });
    }
    case 'txn.abort':
      return t('model:narrate.txnAbort', { txn: event.txn });
    case 'repair.begin':
      return t('model:narrate.repairBegin', { files: files(event.files.length) });
    case 'repair.table':
      // The error is the engine's own message (English only).
      return event.kept
        ? t('model:narrate.repairTable.kept', { file: event.file, entries: entries(event.table?.entries ?? 0) })
        : event.salvaged
          ? t('model:narrate.repairTable.salvaged', {
              file: event.file,
              error: event.error?.message ?? t('model:narrate.repairTable.corrupt'),
              entries: entries(event.salvaged.entries),
              table: event.salvaged.table,
              lost: blocks(event.salvaged.blocksLost),
              blocks: event.salvaged.blocks,
            })
          : t('model:narrate.repairTable.lost', {
              file: event.file,
              error: event.error?.message ?? t('model:narrate.repairTable.corrupt'),
            });
    case 'repair.wal': {
      const into = event.table ? t('model:narrate.repairWal.into', { table: event.table }) : '';
      const tail = event.recordsLost
        ? t('model:narrate.repairWal.lost', { records: records(event.recordsLost) })
        : event.tornTail
          ? t('model:narrate.repairWal.torn')
          : '';
      return t('model:narrate.repairWal.read', { file: event.file, records: records(event.records), into, tail });
    }
    case 'repair.set-aside':
      return t('model:narrate.repairSetAside', { file: event.file, to: event.to });
    case 'repair.manifest':
      return t('model:narrate.repairManifest', { file: event.file, tables: sstables(event.tables) });
    case 'repair.remove':
      return t('model:narrate.repairRemove', { file: event.file });
    case 'repair.merge':
      return t('model:narrate.repairMerge', {
        inputs: sstables(event.inputs.length),
        outputs: sstables(event.outputs.length),
      });
    case 'repair.end':
      return t('model:narrate.repairEnd', {
        kept: sstables(event.tablesKept),
        lost: sstables(event.tablesLost),
        recovered: walRecords(event.walRecordsRecovered),
        walLost: walRecords(event.walRecordsLost),
      });
  }
}
