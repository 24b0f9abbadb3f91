// The SSTables as the picture shows them, always in the engine's read order: written (not yet visible to reads),
// committed by a manifest edit, removed by a compaction. These helpers edit a table list in place, so that the one
// reducer here (a fresh copy per event) and foldEvents (one copy per run of table events, fold.ts) share them.
import type { SstableInfo } from '@lsm-lab/engine';
import { orderForReads } from '@lsm-lab/engine/inspect';
import type { EventOf, TableView, ViewModel } from './view-model';

export function applyTableEvent(
  view: ViewModel,
  event: EventOf<'sstable.write' | 'sstable.remove' | 'manifest.edit'>,
): ViewModel {
  switch (event.type) {
    case 'sstable.write': {
      const tables = view.tables.slice();
      return { ...written(view, event, tables), tables };
    }
    case 'sstable.remove': {
      const tables = view.tables.slice();
      removeFile(tables, event.file);
      return { ...view, tables };
    }
    case 'manifest.edit': {
      const tables = view.tables.slice();
      return { ...edited(view, event, tables), tables };
    }
  }
}

/** The manifest's box draws its newest records, up to this many. */
export const MANIFEST_RECORDS_DRAWN = 6;

/**
 * A manifest edit: the tables it names are committed or gone (`tables`, edited in place), and the manifest grows.
 * The picture's Version.apply (engine/manifest/version.ts): the removed tables go, the added ones become live.
 */
export function edited(view: ViewModel, event: EventOf<'manifest.edit'>, tables: TableView[]) {
  afterEdit(tables, event.added, event.removed);
  return {
    ...view,
    manifest: {
      file: event.file,
      size: event.offset + event.length,
      records: event.file === view.manifest.file ? view.manifest.records + 1 : 1,
      log: [
        ...(event.file === view.manifest.file ? view.manifest.log : []),
        {
          offset: event.offset,
          length: event.length,
          added: event.added.map((t) => t.file),
          removed: event.removed,
          read: true,
        },
      ].slice(-MANIFEST_RECORDS_DRAWN),
    },
    lastSequence: Math.max(view.lastSequence, event.lastSequence),
    focus: { kind: 'manifest' } as const,
  };
}

/**
 * An SSTable written, not yet in the manifest: put into `tables` (the list being built, edited in place), and the
 * rest of the view that changes. A flush's table morphs out of the memtable it came from; a compaction's appears.
 */
export function written(view: ViewModel, event: EventOf<'sstable.write'>, tables: TableView[]) {
  const fromFlush = view.memtable.flushing;
  const table: TableView = {
    ...event.table,
    committed: false,
    generation: fromFlush ? view.memtable.generation : -event.table.number,
  };
  insertForReads(tables, table);
  return {
    ...view,
    flushingGeneration: fromFlush ? view.memtable.generation : view.flushingGeneration,
    focus: { kind: 'sstable', file: table.file } as const,
  };
}

/** The engine's read order (engine/manifest/version.ts), so that the picture lists tables as reads try them. */
export function sortForReads(tables: TableView[]): TableView[] {
  return orderForReads(tables) as TableView[];
}

/**
 * Puts `table` into `tables` (in read order, edited in place) where sortForReads of [table, ...the others] would,
 * replacing a table of the same file, without sorting them all again: a compaction writes its outputs one event
 * each, and one sort per output made a picture of a compaction with a thousand outputs take seconds.
 */
function insertForReads(tables: TableView[], table: TableView, ties: 'before' | 'after' = 'before'): void {
  removeFile(tables, table.file);
  let low = 0;
  let high = tables.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const goesAfter = ties === 'before' ? readsBefore(tables[mid]!, table) : !readsBefore(table, tables[mid]!);
    if (goesAfter) low = mid + 1;
    else high = mid;
  }
  tables.splice(low, 0, table);
}

/**
 * A manifest edit applied to `tables` (in place): those named added become committed (a flush's or compaction's
 * outputs, already written), those named removed go, and a table the list does not hold (a trivial move names the
 * moved table removed and added again at its new level) is put in its place, after any it ties with: what
 * sortForReads of the kept tables followed by the new ones gives. Small memtables make thousands of edits, most of
 * them naming a table or two: those touch only their tables; a large edit takes one pass.
 */
function afterEdit(tables: TableView[], added: SstableInfo[], removed: string[]): void {
  const fresh: SstableInfo[] = [];
  if (added.length + removed.length <= 8) {
    for (const file of removed) removeFile(tables, file);
    for (const table of added) {
      const at = tables.findIndex((t) => t.file === table.file);
      if (at >= 0) tables[at] = { ...tables[at]!, committed: true };
      else fresh.push(table);
    }
  } else {
    const named = new Set(added.map((t) => t.file));
    const gone = new Set(removed);
    const seen = new Set<string>();
    let kept = 0;
    for (const t of tables) {
      if (gone.has(t.file)) continue;
      if (named.has(t.file)) {
        seen.add(t.file);
        tables[kept++] = { ...t, committed: true };
      } else tables[kept++] = t;
    }
    tables.length = kept;
    for (const table of added) if (!seen.has(table.file)) fresh.push(table);
  }
  for (const table of fresh) insertForReads(tables, { ...table, committed: true, generation: -table.number }, 'after');
}

/** Whether reads try `a` strictly before `b`, by the engine's own order (a stable sort keeps ties in place). */
function readsBefore(a: TableView, b: TableView): boolean {
  return orderForReads([b, a])[0] === a;
}

/** Removes the table of `file` from `tables` (edited in place), if it is there. */
export function removeFile(tables: TableView[], file: string): void {
  for (let i = 0; i < tables.length; i++) {
    if (tables[i]!.file === file) {
      tables.splice(i, 1);
      return;
    }
  }
}
