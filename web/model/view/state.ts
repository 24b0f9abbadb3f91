// The bridge the fold test crosses: the part of the view that must equal the engine's own state
// (LsmTree.describe()), in the engine's terms. test/unit/web/fold.test.ts checks the two agree after any run.
import type { TreeState } from '@lsm-lab/engine';
import type { ViewModel } from './view-model';

/** The part of the view that must equal the engine's own state, in the engine's terms. */
export function viewToState(view: ViewModel): TreeState {
  const wal = view.wals[view.wals.length - 1];
  return {
    wal: { file: wal?.file ?? '', size: wal?.size ?? 0 },
    manifest: { file: view.manifest.file, size: view.manifest.size },
    memtable: view.memtable.entries.map((e) => ({ key: e.key, value: e.value, seq: e.seq })),
    memtableBytes: view.memtable.bytes,
    tables: view.tables
      .filter((t) => t.committed)
      .map(({ committed: _committed, generation: _generation, ...meta }) => meta),
    lastSequence: view.lastSequence,
  };
}
