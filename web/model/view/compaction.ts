// The compaction running, or the last one: why it was picked, its inputs, its progress, what it wrote and dropped.
// Its outputs and the removal of its inputs are table events (tables.ts); this is only the panel's account.
import { staleRead, staleScan } from './memtable';
import type { EventOf, FilteredView, ViewModel } from './view-model';

const NOTHING_FILTERED: FilteredView = { prefix: 0, ttl: 0, tombstones: 0, shown: [] };

export function applyCompactionEvent(
  view: ViewModel,
  event: EventOf<'compaction.begin' | 'compaction.progress' | 'compaction.end' | 'compaction.fail'>,
): ViewModel {
  switch (event.type) {
    case 'compaction.begin':
      return {
        ...view,
        read: staleRead(view),
        scan: staleScan(view),
        compaction: {
          strategy: event.strategy,
          reason: event.reason,
          inputs: event.inputs,
          outputLevel: event.outputLevel,
          trivialMove: event.trivialMove,
          dropTombstones: event.dropTombstones,
          entriesRead: 0,
          entriesWritten: 0,
          outputs: [],
          done: false,
          droppedShadowed: 0,
          droppedTombstones: 0,
          dropped: [],
          links: [],
          keptForSnapshots: 0,
          inputsKept: event.inputs.flatMap((file) => view.kept[file] ?? []),
          filtered: NOTHING_FILTERED,
          failed: null,
        },
      };
    case 'compaction.progress':
      return {
        ...view,
        compaction: view.compaction && {
          ...view.compaction,
          entriesRead: event.entriesRead,
          entriesWritten: event.entriesWritten,
        },
      };
    case 'compaction.end':
      return {
        ...view,
        compaction: view.compaction && {
          ...view.compaction,
          entriesRead: event.entriesRead,
          entriesWritten: event.entriesWritten,
          outputs: event.outputs,
          droppedShadowed: event.droppedShadowed,
          droppedTombstones: event.droppedTombstones,
          dropped: event.dropped ?? [],
          links: event.links ?? [],
          keptForSnapshots: event.keptForSnapshots,
          filtered: event.filtered ? { ...event.filtered, shown: event.filtered.shown ?? [] } : NOTHING_FILTERED,
          done: true,
        },
        compactions: view.compactions + 1,
        kept: withoutInputs(view.kept, event.inputs, event.outputs),
      };
    case 'compaction.fail':
      return {
        ...view,
        compaction: view.compaction && {
          ...view.compaction,
          failed: {
            message: event.message,
            ...(event.file === undefined ? {} : { file: event.file, offset: event.offset ?? 0 }),
          },
        },
      };
  }
}

/** The kept marks without the compaction's inputs (gone, unless a trivial move kept the file as it was). */
function withoutInputs(kept: ViewModel['kept'], inputs: string[], outputs: string[]): ViewModel['kept'] {
  if (!inputs.some((file) => kept[file] && !outputs.includes(file))) return kept;
  const left = { ...kept };
  for (const file of inputs) if (!outputs.includes(file)) delete left[file];
  return left;
}
