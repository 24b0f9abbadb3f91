// The reveals of the first lessons, each told from the events of what the engine just did. Their sentences live in
// the model namespace, with the engine's facts as parameters, so each language keeps its own word order.

import { t } from '../../i18n';
// Its messages, before any sentence is read (see web/i18n/model.ts).
import '../../i18n/model';
import type { TimelineEvent } from '../timeline';
import { all, find, last, list, text } from './lesson';

const source = (s: string | null | undefined) => (s === 'memtable' ? t('model:explain.theMemtable') : (s ?? ''));

/** The order in which a put reached the WAL, its flush and the memtable, as the events tell it. */
export function explainWritePath(events: readonly TimelineEvent[]): string {
  const append = find(events, 'wal.append');
  const insert = find(events, 'memtable.insert');
  const steps: Array<{ at: number; text: string }> = [];
  const at = (e: TimelineEvent | undefined) => (e ? events.indexOf(e) : -1);
  if (append)
    steps.push({
      at: at(append),
      text: t('model:explain.writePath.appended', {
        length: append.length,
        key: text(append.key),
        offset: append.offset,
        file: append.file,
      }),
    });
  const flushed = events.find((e) => e.type === 'wal.flush' && append && e.file === append.file);
  if (flushed?.type === 'wal.flush')
    steps.push({
      at: at(flushed),
      text: t('model:explain.writePath.flushed', { file: flushed.file, size: flushed.size }),
    });
  if (insert)
    steps.push({
      at: at(insert),
      text: t('model:explain.writePath.inserted', {
        key: text(insert.key),
        entries: t('model:n.entry', { count: insert.entries }),
        bytes: insert.bytes,
        limit: insert.limit,
      }),
    });
  const table = find(events, 'sstable.write');
  if (table) steps.push({ at: at(table), text: t('model:explain.writePath.written', { file: table.table.file }) });
  if (steps.length === 0) return t('model:explain.writePath.nothing');
  steps.sort((a, b) => a.at - b.at);
  const told = t('model:explain.writePath.order', {
    first: steps[0]!.text,
    rest: steps
      .slice(1)
      .map((s) => t('model:explain.writePath.then', { step: s.text }))
      .join(''),
  });
  const durableFirst = append && insert && flushed && at(flushed) < at(insert);
  return durableFirst ? `${told} ${t('model:explain.writePath.durableFirst')}` : told;
}

/** What a flush did with the memtable, the manifest and the old WAL, as the events tell it. */
export function explainFlush(events: readonly TimelineEvent[]): string {
  const begin = last(events, 'flush.begin');
  const written = last(events, 'sstable.write');
  if (!begin || !written) return t('model:explain.flush.none');
  const edit = events.find((e) => e.type === 'manifest.edit' && e.added.some((a) => a.file === written.table.file));
  const removed = events.find((e) => e.type === 'wal.remove' && e.file === begin.wal);
  const created = last(events, 'wal.create');
  const parts = [
    t('model:explain.flush.wrote', {
      entries: t('model:n.entry', { count: begin.entries }),
      file: written.table.file,
      size: written.table.size,
      smallest: text(written.table.smallest),
      largest: text(written.table.largest),
    }),
  ];
  if (edit?.type === 'manifest.edit')
    parts.push(
      t('model:explain.flush.committed', { offset: edit.offset, manifest: edit.file, level: written.table.level }),
    );
  else parts.push(t('model:explain.flush.notCommitted', { file: written.table.file }));
  if (removed && edit && events.indexOf(edit) < events.indexOf(removed))
    parts.push(t('model:explain.flush.walDeletedAfter', { wal: begin.wal }));
  else if (removed) parts.push(t('model:explain.flush.walDeleted', { wal: begin.wal }));
  else parts.push(t('model:explain.flush.walKept', { wal: begin.wal }));
  if (created) parts.push(t('model:explain.flush.newWal', { file: created.file }));
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
      crash.kind === 'power'
        ? t('model:explain.recovery.tookPower', { count: crash.memtableEntries })
        : t('model:explain.recovery.tookCrash', { count: crash.memtableEntries }),
    );
  if (end) {
    const files = [...new Set(replays.map((r) => r.file))];
    parts.push(
      replays.length > 0
        ? t('model:explain.recovery.replayed', {
            count: replays.length,
            files: list(files),
            keys: list(replays.map((r) => text(r.key))),
          })
        : t('model:explain.recovery.noRecord'),
    );
  } else parts.push(t('model:explain.recovery.none'));
  if (read)
    parts.push(
      read.found
        ? t('model:explain.recovery.found', {
            key: text(read.key),
            value: text(read.value),
            source: source(read.source),
          })
        : t('model:explain.getNotFound', { key: text(read.key) }),
    );
  return parts.join(' ');
}

/** Where a Get looked and what each place said, as the events tell it. */
export function explainRead(events: readonly TimelineEvent[]): string {
  const end = last(events, 'read.end');
  if (!end) return t('model:explain.read.none');
  const memtable = last(events, 'read.memtable');
  const parts: string[] = [];
  const where: string[] = [];
  if (memtable)
    where.push(
      memtable.found === 'absent'
        ? t('model:explain.read.memtableAbsent')
        : memtable.found === 'value'
          ? t('model:explain.read.memtableValue')
          : t('model:explain.read.memtableTombstone'),
    );
  for (const table of all(events, 'read.sstable')) {
    const outcome =
      table.found === 'absent'
        ? t('model:explain.read.absent')
        : table.found === 'value'
          ? t('model:explain.read.found')
          : t('model:explain.read.tombstone');
    const verdict =
      table.found === 'out-of-range'
        ? t('model:explain.read.outOfRange')
        : table.found === 'bloom-negative'
          ? t('model:explain.read.bloomNegative')
          : table.bloom
            ? t('model:explain.read.blockAfterMaybe', { block: table.block, outcome })
            : t('model:explain.read.block', { block: table.block, outcome });
    where.push(t('model:explain.read.table', { file: table.file, level: table.level, verdict }));
  }
  parts.push(t('model:explain.read.looked', { key: text(end.key), where: list(where) }));
  const counts = {
    blocks: t('model:n.dataBlock', { count: end.blocksRead }),
    tables: t('model:n.table', { count: end.bloomSkips }),
  };
  parts.push(
    end.found
      ? t('model:explain.read.result', { ...counts, count: end.bloomSkips, value: text(end.value) })
      : t('model:explain.read.resultNone', { ...counts, count: end.bloomSkips }),
  );
  const falsePositives = all(events, 'read.sstable').filter((s) => s.bloom && s.found === 'absent').length;
  if (!end.found && falsePositives > 0) parts.push(t('model:explain.read.falsePositive', { count: falsePositives }));
  else if (!end.found && end.bloomSkips > 0) parts.push(t('model:explain.read.neverWrong'));
  return parts.join(' ');
}

/** What compaction did (or that none ran) after the flushes, as the events tell it. */
export function explainCompaction(events: readonly TimelineEvent[]): string {
  const flushed = all(events, 'flush.end').map((f) => f.table);
  const added =
    flushed.length > 0
      ? t('model:explain.compaction.flushed', { files: list(flushed) })
      : t('model:explain.compaction.noFlush');
  const ends = all(events, 'compaction.end');
  if (ends.length === 0) return `${added} ${t('model:explain.compaction.none')}`;
  const parts = [added];
  for (const [i, end] of ends.entries()) {
    const begin = all(events, 'compaction.begin')[i];
    const levels = begin ? [...new Set(begin.inputLevels)].map((l) => `L${l}`) : [];
    const dropped = end.droppedShadowed + end.droppedTombstones;
    parts.push(
      t('model:explain.compaction.ran', {
        which: i === 0 ? t('model:explain.compaction.first') : t('model:explain.compaction.another'),
        why: begin ? t('model:explain.compaction.why', { reason: begin.reason }) : '',
        inputs: list(end.inputs),
        from: levels.length > 0 ? t('model:explain.compaction.from', { levels: list(levels) }) : '',
        entries: t('model:n.entry', { count: end.entriesRead }),
        dropped:
          dropped > 0
            ? t('model:explain.compaction.dropped', { versions: t('model:n.olderVersion', { count: dropped }) })
            : '',
        outputs: list(end.outputs),
        level: end.outputLevel,
        bytes: end.bytesWritten,
      }),
    );
  }
  parts.push(t('model:explain.compaction.amplification'));
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
    parts.push(t('model:explain.delete.appended', { key: text(append.key), file: append.file }));
  if (rewritten.length > 0)
    parts.push(t('model:explain.delete.written', { files: list(rewritten.map((w) => w.table.file)) }));
  else parts.push(t('model:explain.delete.noneWritten'));
  if (read) {
    if (!read.found && memtable?.found === 'tombstone') parts.push(t('model:explain.delete.metTombstone'));
    else
      parts.push(
        read.found ? t('model:explain.delete.found', { value: text(read.value) }) : t('model:explain.delete.notFound'),
      );
    if (read.hidden)
      parts.push(
        t('model:explain.delete.hidden', { value: text(read.hidden.value), source: source(read.hidden.source) }),
      );
  }
  return parts.join(' ');
}
