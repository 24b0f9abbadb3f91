// The compaction running, or the last one: why it was picked, its inputs, its progress, what it wrote and dropped.
// Its outputs and the removal of its inputs are table events (tables.ts); this is only the panel's account.
import { staleRead } from './memtable';
import type { EventOf, ViewModel } from './view-model';

export function applyCompactionEvent(
  view: ViewModel,
  event: EventOf<'compaction.begin' | 'compaction.progress' | 'compaction.end'>,
): ViewModel {
  switch (event.type) {
    case 'compaction.begin':
      return {
        ...view,
        read: staleRead(view),
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
          done: true,
        },
        compactions: view.compactions + 1,
      };
  }
}
