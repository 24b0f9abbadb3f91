// The reveals of the first lessons, each told from the events of what the engine just did.

import type { TimelineEvent } from '../timeline';
import { all, find, last, list, plural, sentence, text } from './lesson';

/** The order in which a put reached the WAL, its flush and the memtable, as the events tell it. */
export function explainWritePath(events: readonly TimelineEvent[]): string {
  const append = find(events, 'wal.append');
  const insert = find(events, 'memtable.insert');
  const steps: Array<{ at: number; text: string }> = [];
  const at = (e: TimelineEvent | undefined) => (e ? events.indexOf(e) : -1);
  if (append)
    steps.push({
      at: at(append),
      text: `a ${append.length}-byte record for ${text(append.key)} was appended at byte ${append.offset} of ${append.file}`,
    });
  const flushed = events.find((e) => e.type === 'wal.flush' && append && e.file === append.file);
  if (flushed?.type === 'wal.flush')
    steps.push({ at: at(flushed), text: `${flushed.file} was flushed (durable up to byte ${flushed.size})` });
  if (insert)
    steps.push({
      at: at(insert),
      text: `${text(insert.key)} went into the memtable (${plural(insert.entries, 'entry', 'entries')}, ${insert.bytes} of ${insert.limit} bytes)`,
    });
  const table = find(events, 'sstable.write');
  if (table) steps.push({ at: at(table), text: `${table.table.file} was written` });
  if (steps.length === 0) return 'The engine wrote nothing this time.';
  steps.sort((a, b) => a.at - b.at);
  const told = sentence(`first ${steps.map((s) => s.text).join(', then ')}`);
  const durableFirst = append && insert && flushed && at(flushed) < at(insert);
  return durableFirst
    ? `${told} The record was on disk before the memtable saw the write: had the tab died right after, it would bring the write back.`
    : told;
}

/** What a flush did with the memtable, the manifest and the old WAL, as the events tell it. */
export function explainFlush(events: readonly TimelineEvent[]): string {
  const begin = last(events, 'flush.begin');
  const written = last(events, 'sstable.write');
  if (!begin || !written) return 'No flush ran this time: the memtable and its WAL are as they were.';
  const edit = events.find((e) => e.type === 'manifest.edit' && e.added.some((t) => t.file === written.table.file));
  const removed = events.find((e) => e.type === 'wal.remove' && e.file === begin.wal);
  const created = last(events, 'wal.create');
  const parts = [
    `The flush wrote the memtable's ${plural(begin.entries, 'entry', 'entries')} into ${written.table.file} (${written.table.size} bytes, keys ${text(written.table.smallest)} to ${text(written.table.largest)}).`,
  ];
  if (edit?.type === 'manifest.edit')
    parts.push(
      `The manifest record at byte ${edit.offset} of ${edit.file} added it to L${written.table.level}: the commit point.`,
    );
  else parts.push(`No manifest record named ${written.table.file}: it is not committed.`);
  if (removed && edit && events.indexOf(edit) < events.indexOf(removed))
    parts.push(`Only after that was ${begin.wal}, the WAL that held those entries, deleted.`);
  else if (removed) parts.push(`${begin.wal} was deleted.`);
  else parts.push(`${begin.wal} was not deleted.`);
  if (created) parts.push(`New writes go to ${created.file}.`);
  return parts.join(' ');
}

/** What a crash, the recovery after it and a Get did, as the events tell it. */
export function explainRecovery(events: readonly TimelineEvent[]): string {
  const crash = find(events, 'crash');
  const replays = all(events, 'recovery.replay');
  const end = last(events, 'recovery.end');
  const read = last(events, 'read.end');
  const parts: string[] = [];
  if (crash)
    parts.push(
      `The ${crash.kind === 'power' ? 'power loss' : 'crash'} took the memtable's ${plural(crash.memtableEntries, 'entry', 'entries')} with it.`,
    );
  if (end) {
    const files = [...new Set(replays.map((r) => r.file))];
    parts.push(
      replays.length > 0
        ? `Recovery replayed ${plural(replays.length, 'record')} from ${list(files)} (${list(replays.map((r) => text(r.key)))}) into a new memtable.`
        : 'Recovery found no WAL record to replay.',
    );
  } else parts.push('No recovery ran.');
  if (read)
    parts.push(
      read.found
        ? `The Get found ${text(read.key)} = ${text(read.value)} in ${read.source === 'memtable' ? 'the memtable' : read.source}: an acknowledged write survived the crash.`
        : `The Get did not find ${text(read.key)}.`,
    );
  return parts.join(' ');
}

/** Where a Get looked and what each place said, as the events tell it. */
export function explainRead(events: readonly TimelineEvent[]): string {
  const end = last(events, 'read.end');
  if (!end) return 'No Get ran.';
  const memtable = last(events, 'read.memtable');
  const parts: string[] = [];
  const where: string[] = [];
  if (memtable) where.push(`the memtable (${memtable.found === 'absent' ? 'not there' : memtable.found})`);
  for (const table of all(events, 'read.sstable')) {
    const verdict =
      table.found === 'out-of-range'
        ? 'the key is outside its range'
        : table.found === 'bloom-negative'
          ? 'its bloom filter said "certainly not here"'
          : `${table.bloom ? 'its bloom filter said "maybe", so ' : ''}its sparse index named block ${table.block}, which was read: ${table.found === 'absent' ? 'not there' : table.found === 'value' ? 'found' : 'a tombstone'}`;
    where.push(`${table.file} in L${table.level} (${verdict})`);
  }
  parts.push(`The Get of ${text(end.key)} looked in ${list(where)}.`);
  parts.push(
    `${end.found ? `It found ${text(end.value)}` : 'Not found'}, with ${plural(end.blocksRead, 'data block')} read and ${plural(end.bloomSkips, 'table')} skipped by ${end.bloomSkips === 1 ? 'its' : 'their'} bloom filter${end.bloomSkips === 1 ? '' : 's'}.`,
  );
  const falsePositives = all(events, 'read.sstable').filter((t) => t.bloom && t.found === 'absent').length;
  if (!end.found && falsePositives > 0)
    parts.push(
      `${plural(falsePositives, 'filter')} said "maybe" for a key that is not there: a false positive, which at 10 bits per key happens about 1 time in 100.`,
    );
  else if (!end.found && end.bloomSkips > 0)
    parts.push('A bloom filter never says "no" wrongly, so a key it rules out costs no block read.');
  return parts.join(' ');
}

/** What compaction did (or that none ran) after the flushes, as the events tell it. */
export function explainCompaction(events: readonly TimelineEvent[]): string {
  const flushed = all(events, 'flush.end').map((f) => f.table);
  const added = flushed.length > 0 ? `The flushes wrote ${list(flushed)} into L0.` : 'No flush ran.';
  const ends = all(events, 'compaction.end');
  if (ends.length === 0) return `${added} No compaction began: L0 just grew.`;
  const parts = [added];
  for (const [i, end] of ends.entries()) {
    const begin = all(events, 'compaction.begin')[i];
    const levels = begin ? [...new Set(begin.inputLevels)].map((l) => `L${l}`) : [];
    const dropped = end.droppedShadowed + end.droppedTombstones;
    parts.push(
      `${i === 0 ? 'Then a' : 'Another'} compaction${begin ? `, chosen because ${begin.reason},` : ''} read ${list(end.inputs)}${levels.length > 0 ? ` from ${list(levels)}` : ''}, merged ${plural(end.entriesRead, 'entry', 'entries')} newest-wins${dropped > 0 ? `, dropped ${plural(dropped, 'older version')}` : ''}, and wrote ${list(end.outputs)} into L${end.outputLevel} (${end.bytesWritten} bytes written).`,
    );
  }
  parts.push(
    'Those bytes written again are write amplification; fewer files for a read to check is less read amplification. Both are measured in the Amplification section of the Workload panel (on the right).',
  );
  return parts.join(' ');
}

/** Where a delete was recorded and what a Get then met, as the events tell it. */
export function explainDelete(events: readonly TimelineEvent[]): string {
  const append = events.find((e) => e.type === 'wal.append' && e.op === 'delete');
  const insert = events.find((e) => e.type === 'memtable.insert' && e.op === 'delete');
  const rewritten = all(events, 'sstable.write');
  const read = last(events, 'read.end');
  const memtable = last(events, 'read.memtable');
  const parts: string[] = [];
  if (append?.type === 'wal.append' && insert)
    parts.push(
      `The delete appended a tombstone for ${text(append.key)} to ${append.file} and put it into the memtable.`,
    );
  if (rewritten.length > 0) parts.push(`SSTables written meanwhile: ${list(rewritten.map((t) => t.table.file))}.`);
  else parts.push('No SSTable was written or rewritten.');
  if (read) {
    if (!read.found && memtable?.found === 'tombstone')
      parts.push(`The Get met the tombstone in the memtable and stopped: not found.`);
    else parts.push(read.found ? `The Get found ${text(read.value)}.` : 'The Get did not find it.');
    if (read.hidden)
      parts.push(
        `The value it hides, ${text(read.hidden.value)}, still sits in ${read.hidden.source === 'memtable' ? 'the memtable' : read.hidden.source} until a compaction into the bottom level drops both.`,
      );
  }
  return parts.join(' ');
}
