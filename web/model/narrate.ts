// Plain words for each step, for the event log (which is also the screen reader's narration).

import { plural, showBytes, showCount, showSize } from './display';
import type { TimelineEvent } from './timeline';

export const CRASH_POINTS = {
  'wal-append': 'during the next WAL append: a torn record',
  'before-memtable': 'after the WAL append, before the memtable',
  'mid-sstable': 'in the middle of writing an SSTable',
  'before-manifest': 'after the SSTable, before the manifest edit',
  'mid-compaction': 'in the middle of a compaction',
} as const;

/**
 * A list of names for the caption, which has two lines: the first few, then how many more ("a, b, c, d and 9
 * more"). A compaction of a deep tree names dozens of files; the picture draws every one.
 */
export function few(names: readonly string[], shown = 4): string {
  if (names.length <= shown + 1) return names.join(', ');
  return `${names.slice(0, shown).join(', ')} and ${names.length - shown} more`;
}

export function narrate(event: TimelineEvent): string {
  switch (event.type) {
    case 'wal.append':
      return event.op === 'put'
        ? `Appended put ${showBytes(event.key)} = ${showBytes(event.value)} to ${event.file} at byte ${event.offset} (${event.length} bytes).`
        : `Appended delete ${showBytes(event.key)} to ${event.file} at byte ${event.offset} (${event.length} bytes).`;
    case 'wal.batch':
      return `Appended a batch of ${plural(event.writes.length, 'write')} to ${event.file} at byte ${event.offset} as one record (${event.length} bytes, one checksum): after a crash all of them are there, or none.`;
    case 'wal.flush':
      return `Flushed ${event.file} to disk: its first ${showSize(event.size)} are durable now.`;
    case 'wal.create':
      return `Created ${event.file}, an empty write-ahead log for the next memtable.`;
    case 'wal.remove':
      return `Deleted ${event.file}: every record in it is now in a committed SSTable.`;
    case 'memtable.insert':
      return `${event.op === 'put' ? 'Inserted' : 'Inserted a tombstone for'} ${showBytes(event.key)} into the memtable (${plural(event.entries, 'entry', 'entries')}, ${showSize(event.bytes)} of ${showSize(event.limit)}).`;
    case 'flush.begin':
      return event.reason === 'threshold'
        ? `The memtable is full (${showSize(event.bytes)}): flushing its ${plural(event.entries, 'entry', 'entries')} to an SSTable.`
        : `Flush requested: writing the memtable's ${plural(event.entries, 'entry', 'entries')} to an SSTable.`;
    case 'sstable.write':
      return `Wrote ${event.table.file} (${showSize(event.table.size)}, ${plural(event.table.entries, 'entry', 'entries')} in ${plural(event.table.blocks, 'block')}, keys ${showBytes(event.table.smallest)} … ${showBytes(event.table.largest)}) and flushed it. Not visible to reads until the manifest names it.`;
    case 'manifest.edit':
      return event.added.length > 0
        ? `Committed: appended a record to ${event.file} at byte ${event.offset} naming ${few(event.added.map((t) => t.file))}. From now on reads see it.`
        : `Wrote ${event.file}: a new manifest (logs from ${String(event.logNumber).padStart(6, '0')}.log on).`;
    case 'snapshot.take':
      if (event.implicit)
        return `The scan takes a snapshot of its own at sequence number ${event.seq}: writes landing while it runs stay invisible to it.`;
      return `Took a snapshot at sequence number ${event.seq}: reads given it see the tree as it is now, whatever comes later.`;
    case 'snapshot.release':
      if (event.implicit) return `The scan is done: its own snapshot at sequence number ${event.seq} is released.`;
      return `Released the snapshot at sequence number ${event.seq}: old versions only it could see may now be dropped.`;
    case 'snapshot.kept':
      return `The ${event.by} kept ${plural(event.versions, 'older version')} that live snapshots (${few(event.snapshots.map(String))}) can still see.`;
    case 'manifest.roll':
      return `Rolled the manifest over: ${event.to} starts with one snapshot record (${showSize(event.toSize)}) and replaces ${event.from} (${showSize(event.fromSize)}), ${event.removed ? 'deleted' : 'left for recovery to delete'}.`;
    case 'flush.end':
      return `Flush done: the memtable lives on in ${event.table}; new writes go to ${event.wal}.`;
    case 'read.begin':
      return `Get ${showBytes(event.key)}: look in the memtable first.`;
    case 'read.memtable':
      return event.found === 'value'
        ? 'Found it in the memtable.'
        : event.found === 'tombstone'
          ? 'The memtable holds a tombstone: the key was deleted.'
          : 'Not in the memtable: try the SSTables, newest first.';
    case 'read.bloom': {
      const unset = event.bloom.probes.filter((_, i) => !event.bloom.set[i]);
      return event.maybe
        ? `${event.file} (L${event.level}): the key is inside its range; its bloom filter's ${event.bloom.probes.length} bits for the key are all set: "maybe here".`
        : `${event.file} (L${event.level}): the key is inside its range, but bit ${unset[0]} of its bloom filter is 0: "definitely not here".`;
    }
    case 'read.index':
      return `${event.file}: the sparse index points to block ${event.index.chosen} of ${event.index.blocks}, the last whose first key is ≤ ${showBytes(event.key)}.`;
    case 'read.block':
      return event.cached
        ? `${event.file}: block ${event.block} (${showSize(event.blockSize)} at byte ${event.blockOffset}) is in the block cache: no read. ${plural(event.entries, 'entry', 'entries')}, sorted by key.`
        : `${event.file}: read block ${event.block} (${showSize(event.blockSize)} at byte ${event.blockOffset}) from storage and verified its checksum. ${plural(event.entries, 'entry', 'entries')}, sorted by key.`;
    case 'read.compare':
      if (event.restart !== undefined) {
        return `Binary search over the restart points: restart point R${event.restart} (entry #${event.entry}, its key stored whole) is ${showBytes(event.with)}, ${
          event.order < 0
            ? `before ${showBytes(event.key)}: look right of it.`
            : `not before ${showBytes(event.key)}: look left of it.`
        }`;
      }
      if (event.run !== undefined) {
        return `Scanning the run from restart point R${event.run}: entry #${event.entry}, its key rebuilt from the one before, is ${showBytes(event.with)}, ${
          event.order === 0
            ? 'the key: found.'
            : event.order < 0
              ? `before ${showBytes(event.key)}: on to the next.`
              : `after ${showBytes(event.key)}: the key is not in this block.`
        }`;
      }
      return `Binary search: entry #${event.entry} is ${showBytes(event.with)}, ${
        event.order === 0
          ? `the key: found.`
          : event.order < 0
            ? `before ${showBytes(event.key)}: look right of it.`
            : `after ${showBytes(event.key)}: look left of it.`
      }`;
    case 'read.sstable':
      if (event.found === 'out-of-range')
        return `${event.file}: the key is outside its key range, skipped without reading.`;
      if (event.found === 'bloom-negative')
        return `${event.file} (L${event.level}): ruled out by its bloom filter, skipped without reading a block.`;
      return `${event.file} (L${event.level}): block ${event.block}${
        event.search ? `, ${plural(event.search.compared.length, 'key')} compared` : ''
      }: ${event.found === 'value' ? 'found.' : event.found === 'tombstone' ? 'a tombstone: deleted.' : 'not there.'}`;
    case 'read.end': {
      const cost = `${plural(event.tablesChecked, 'SSTable')} in range, ${event.bloomSkips} skipped by bloom filters, ${plural(event.blocksRead, 'block')} read`;
      if (event.found)
        return `Result: ${showBytes(event.key)} = ${showBytes(event.value)}, from ${event.source} (${cost}).`;
      if (event.hidden) {
        const older = event.hidden.value === null ? 'an older tombstone' : `the older ${showBytes(event.hidden.value)}`;
        return `Result: ${showBytes(event.key)} not found: the tombstone in ${event.source === 'memtable' ? 'the memtable' : event.source} hides ${older} in ${event.hidden.source} (${cost}).`;
      }
      return `Result: ${showBytes(event.key)} not found (${cost}).`;
    }
    case 'compaction.begin':
      return event.trivialMove
        ? `Compaction (${event.strategy}): ${event.reason}. ${event.inputs[0]} overlaps nothing in L${event.outputLevel}: moved down without rewriting.`
        : `Compaction (${event.strategy}): ${event.reason}. Merging ${few(event.inputs)} into L${event.outputLevel}${event.dropTombstones ? '; nothing older lies below, so tombstones can go' : ''}.`;
    case 'compaction.progress':
      return `Merging: ${event.entriesRead} entries read, ${event.entriesWritten} written.`;
    case 'compaction.end':
      return event.entriesRead === 0
        ? `Compaction done: ${few(event.outputs)} is now in L${event.outputLevel}.`
        : `Compaction done: ${event.entriesRead} entries in, ${event.entriesWritten} out (${plural(event.droppedShadowed, 'older version')} and ${plural(event.droppedTombstones, 'tombstone')} dropped${event.filtered ? `; ${plural(event.filtered.prefix + event.filtered.ttl, 'value')} filtered` : ''}) → ${event.outputs.length === 0 ? 'nothing left' : few(event.outputs)} in L${event.outputLevel}.`;
    case 'sstable.remove':
      return `Deleted ${event.file}: the committed compaction replaced it.`;
    case 'scan.begin':
      return `Scan from ${event.start === null ? 'the first key' : showBytes(event.start)}${event.end === null ? '' : ` to ${showBytes(event.end)}`}: merging ${plural(event.sources.length, 'sorted source')} (${few(event.sources)}), newest version of each key wins.`;
    case 'scan.step': {
      const from = event.source === 'memtable' ? 'the memtable' : event.source;
      const passed = event.skipped.map(
        (v) =>
          `#${v.seq} in ${v.source === 'memtable' ? 'the memtable' : v.source} (${v.why === 'shadowed' ? 'older' : 'newer than the snapshot'})`,
      );
      const won =
        event.op === 'put'
          ? `${showBytes(event.value)} from ${from} (#${event.seq})`
          : `a tombstone in ${from} (#${event.seq}): the key is skipped`;
      return `Merge: the smallest key under the cursors is ${showBytes(event.key)}; ${won}${passed.length ? `; passed over ${passed.join(', ')}` : ''}.`;
    }
    case 'scan.end':
      return `Scan: ${plural(event.count, 'pair')} in key order; ${plural(event.shadowed, 'older version')} and ${plural(event.tombstones, 'deleted key')} skipped.`;
    case 'recovery.begin':
      return event.files.length === 0
        ? 'Opening: no files yet, creating a new database.'
        : `Opening: found ${plural(event.files.length, 'file')} (${few(event.files.map((f) => f.file))}). Memory starts empty.`;
    case 'recovery.edit':
      return `Read ${event.file}'s record at byte ${event.offset}: ${event.added.length ? `adds ${event.added.join(', ')}` : 'adds nothing'}${event.removed.length ? `, removes ${event.removed.join(', ')}` : ''}.`;
    case 'recovery.manifest':
      return `Read ${event.file} (${plural(event.records, 'record')}): ${plural(event.tables.length, 'live SSTable')}; WALs from ${String(event.logNumber).padStart(6, '0')}.log on still need replaying.`;
    case 'recovery.delete':
      return `Deleted ${event.file}: ${event.reason}.`;
    case 'recovery.replay':
      return `Replayed ${event.op} ${showBytes(event.key)} from ${event.file} at byte ${event.offset}.`;
    case 'recovery.torn-tail':
      return `${event.file} ends in a torn record at byte ${event.offset} (${plural(event.droppedBytes, 'byte')} of a write the crash interrupted, never acknowledged): cut off.`;
    case 'recovery.end':
      if (event.created)
        return `This is a real LSM tree, on files in your browser: a new, empty database, writing to ${event.wal}. Type a key and a value and press Put, or press Insert random.`;
      return `Recovered: ${plural(event.replayed, 'WAL record')} replayed into the memtable, ${plural(event.tables, 'SSTable')} live. Writing continues in ${event.wal}.`;
    case 'corruption':
      return event.detail.includes(event.file)
        ? `Corruption found: ${event.detail}.`
        : `Corruption in ${event.file} at byte ${event.offset}: ${event.detail}.`;
    case 'background.error':
      return event.readOnly
        ? `The ${event.operation} failed (${event.message}). Writing on could be unsafe: the database now refuses writes until it is reopened.`
        : `The ${event.operation} failed (${event.message}). The write that triggered it is safe in the WAL; the work will be tried again.`;
    case 'crash':
      return event.kind === 'power'
        ? `Power loss! Writes not yet flushed were kept, dropped, torn or garbled at random, and the worker was terminated. The memtable (${plural(event.memtableEntries, 'entry', 'entries')}) is gone; only what was flushed is sure to remain.`
        : `Crash! The worker was terminated. The memtable (${plural(event.memtableEntries, 'entry', 'entries')}) was only in memory and is gone; the files on disk remain.`;
    case 'crash.point':
      return `The armed crash point was reached (${CRASH_POINTS[event.point]}): the ${event.kind === 'power' ? 'power goes out' : 'process dies'} right here.`;
    case 'close':
      return 'Closed the database.';
    case 'workload.begin':
      return `Workload: ${showCount(event.spec.operations)} ${event.spec.distribution} operations (${event.spec.updatePercent} % updates, ${event.spec.deletePercent} % deletes). Single writes are not shown one by one; flushes and compactions are.`;
    case 'workload.progress':
      return `Workload: ${showCount(event.done)} of ${showCount(event.total)} operations done.`;
    case 'workload.end':
      return `Workload ${event.cancelled ? 'cancelled' : 'finished'}: ${showCount(event.done)} operations in ${(event.ms / 1000).toFixed(1)} s (${showCount(Math.round((event.done / event.ms) * 1000))} per second, each flushed to the WAL before the next).`;
    case 'txn.begin':
      return `Began transaction ${event.txn}: it reads the tree as of sequence ${event.seq} (a snapshot), and keeps its own writes in a private workspace until it commits${event.serializable === false ? ' (snapshot isolation: no check at commit)' : ''}.`;
    case 'txn.read':
      return event.key !== undefined
        ? `Transaction ${event.txn} reads ${showBytes(event.key)} at its snapshot, and notes it: if anyone writes ${showBytes(event.key)} before it commits, the commit is refused.`
        : `Transaction ${event.txn} scans ${event.range?.start ? `from ${showBytes(event.range.start)}` : 'from the start'} ${event.range?.end ? `to ${showBytes(event.range.end)}` : 'to the end'} at its snapshot, and notes the range: a write anywhere in it before the commit refuses the commit.`;
    case 'txn.write':
      return event.op === 'put'
        ? `Transaction ${event.txn}: put ${showBytes(event.key)} = ${showBytes(event.value)} into its workspace (${plural(event.workspace, 'key')}), not the WAL: nobody else sees it yet.`
        : `Transaction ${event.txn}: a tombstone for ${showBytes(event.key)} in its workspace (${plural(event.workspace, 'key')}), not the WAL: nobody else sees it yet.`;
    case 'txn.commit':
      return event.record
        ? `Transaction ${event.txn} committed: nothing it read changed since it began, so its ${plural(event.writes, 'write')} went to ${event.record.file} as one batch record at byte ${event.record.offset}: after a crash all of them are there, or none.`
        : `Transaction ${event.txn} committed: it wrote nothing, and what it read was one consistent snapshot.`;
    case 'txn.conflict':
      return event.range
        ? `Transaction ${event.txn} refused: ${showBytes(event.key)} was written at sequence ${event.seq}, inside the range ${event.range.start === null ? 'from the start' : `from ${showBytes(event.range.start)}`} ${event.range.end === null ? 'to the end' : `to ${showBytes(event.range.end)}`} it scanned at sequence ${event.begin}. Nothing of it is written.`
        : `Transaction ${event.txn} refused: ${showBytes(event.key)}, which it read at sequence ${event.begin}, was written since (sequence ${event.seq}). Its reads are stale: nothing of it is written.`;
    case 'txn.abort':
      return `Transaction ${event.txn} ended without writing: its workspace is dropped, its snapshot released.`;
    case 'repair.begin':
      return `Repair: ${plural(event.files.length, 'file')} found. No manifest is trusted: every SSTable and WAL is read end to end.`;
    case 'repair.table':
      return event.kept
        ? `Repair: ${event.file} reads whole (${plural(event.table?.entries ?? 0, 'entry', 'entries')}): kept, in level 0.`
        : event.salvaged
          ? `Repair: ${event.file} cannot be read whole (${event.error?.message ?? 'corrupt'}): set aside; the ${plural(event.salvaged.entries, 'entry', 'entries')} of its readable blocks went into ${event.salvaged.table}, ${plural(event.salvaged.blocksLost, 'block')} of ${event.salvaged.blocks} lost.`
          : `Repair: ${event.file} cannot be read (${event.error?.message ?? 'corrupt'}): set aside, its entries lost.`;
    case 'repair.wal':
      return `Repair: ${event.file}: ${plural(event.records, 'record')} read${event.table ? ` into ${event.table}` : ''}${event.recordsLost ? `; ${plural(event.recordsLost, 'record')} after a bad one lost` : event.tornTail ? '; a torn last record dropped' : ''}.`;
    case 'repair.set-aside':
      return `Repair: copied ${event.file} to ${event.to}, kept for whoever wants to look at it.`;
    case 'repair.manifest':
      return `Repair: wrote ${event.file}, one record naming ${plural(event.tables, 'SSTable')} in level 0: the commit point.`;
    case 'repair.remove':
      return `Repair: deleted ${event.file}, which the new manifest does not need.`;
    case 'repair.merge':
      return `Repair: ${plural(event.inputs.length, 'SSTable')} share keys with interleaved sequence numbers, which level 0 cannot order: merged by sequence number into ${plural(event.outputs.length, 'SSTable')} that do not overlap.`;
    case 'repair.end':
      return `Repaired: ${plural(event.tablesKept, 'SSTable')} kept, ${plural(event.tablesLost, 'SSTable')} lost, ${plural(event.walRecordsRecovered, 'WAL record')} recovered, ${plural(event.walRecordsLost, 'WAL record')} lost.`;
  }
}
