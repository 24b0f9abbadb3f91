// Snapshots as the picture shows them: the live ones (markers on the sequence numbers; a scan's own apart), and the
// versions each
// flush or compaction kept for them, per table file (marked on the cards) — all as the engine's events said.
import type { EventOf, ViewModel } from './view-model';

export function applySnapshotEvent(
  view: ViewModel,
  event: EventOf<'snapshot.take' | 'snapshot.release' | 'snapshot.kept'>,
): ViewModel {
  switch (event.type) {
    case 'snapshot.take':
      // A scan's own snapshot is drawn apart: it is not the class's to release, and it goes when the scan ends.
      if (event.implicit) return { ...view, scanSnapshot: event.seq };
      return {
        ...view,
        snapshots: [...view.snapshots, event.seq].sort((a, b) => a - b),
        snapshotEvent: { kind: 'take', seq: event.seq },
      };
    case 'snapshot.release': {
      if (event.implicit) return { ...view, scanSnapshot: null };
      const snapshots = view.snapshots.slice();
      const at = snapshots.indexOf(event.seq);
      if (at >= 0) snapshots.splice(at, 1);
      return { ...view, snapshots, snapshotEvent: { kind: 'release', seq: event.seq } };
    }
    case 'snapshot.kept': {
      if (!event.shown) return view;
      const kept = { ...view.kept };
      const files = new Set(event.shown.map((k) => k.file));
      // A flush or compaction names every version it kept in its outputs (up to KEPT_SHOWN): they replace any
      // marks an earlier event left on the same file.
      for (const file of files) kept[file] = [];
      for (const { file, ...mark } of event.shown) kept[file]!.push(mark);
      return { ...view, kept };
    }
  }
}
