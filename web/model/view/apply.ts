// applyEvent(view, event) -> view: the one pure step the whole picture is built from, as xyflow's applyNodeChanges
// applies a NodeChange. It only routes: each part of the engine has its reducer, in the file named for that part.
import type { TimelineEvent } from '../timeline';
import { applyCompactionEvent } from './compaction';
import { applyMemtableEvent } from './memtable';
import { applyReadEvent } from './reads';
import { applyRecoveryEvent } from './recovery';
import { applySnapshotEvent } from './snapshots';
import { applyTableEvent } from './tables';
import { applyTxnEvent } from './txns';
import type { ViewModel } from './view-model';
import { applyWalEvent } from './wal';
import { applyWorkloadEvent, crashWorkload } from './workload';

/**
 * The view after one more event. Never changes `view`: the parts an event touches are copied, the rest shared, so
 * the player can keep any earlier view as a checkpoint for stepping back. Every event type has its case, and the
 * compiler checks it: a new engine event does not compile until the picture knows what it means.
 */
export function applyEvent(view: ViewModel, event: TimelineEvent): ViewModel {
  switch (event.type) {
    case 'wal.append':
    case 'wal.batch':
    case 'wal.flush':
    case 'wal.create':
    case 'wal.remove':
      return applyWalEvent(view, event);
    case 'memtable.insert':
    case 'flush.begin':
    case 'flush.end':
      return applyMemtableEvent(view, event);
    case 'sstable.write':
    case 'sstable.remove':
    case 'manifest.edit':
      return applyTableEvent(view, event);
    case 'compaction.begin':
    case 'compaction.progress':
    case 'compaction.end':
    case 'compaction.fail':
      return applyCompactionEvent(view, event);
    case 'read.begin':
    case 'read.memtable':
    case 'read.bloom':
    case 'read.index':
    case 'read.block':
    case 'read.compare':
    case 'read.sstable':
    case 'read.end':
    case 'scan.begin':
    case 'scan.step':
    case 'scan.end':
      return applyReadEvent(view, event);
    case 'recovery.begin':
    case 'recovery.edit':
    case 'recovery.manifest':
    case 'recovery.delete':
    case 'recovery.replay':
    case 'recovery.torn-tail':
    case 'recovery.end':
    case 'corruption':
    case 'background.error':
    case 'crash.point':
      return applyRecoveryEvent(view, event);
    case 'crash':
      return crashWorkload(applyRecoveryEvent(view, event));
    case 'workload.begin':
    case 'workload.progress':
    case 'workload.end':
      return applyWorkloadEvent(view, event);
    case 'snapshot.take':
    case 'snapshot.release':
    case 'snapshot.kept':
      return applySnapshotEvent(view, event);
    case 'txn.begin':
    case 'txn.read':
    case 'txn.write':
    case 'txn.commit':
    case 'txn.conflict':
    case 'txn.abort':
      return applyTxnEvent(view, event);
    case 'close':
    // Repair works on files before the tree opens; the recovery events that follow draw what it left.
    case 'repair.begin':
    case 'repair.table':
    case 'repair.wal':
    case 'repair.set-aside':
    case 'repair.manifest':
    case 'repair.remove':
    case 'repair.end':
    case 'repair.merge':
    // A manifest roll is drawn by the manifest.edit that wrote the new one.
    case 'manifest.roll':
      // Nothing to draw: a close changes no file.
      return view;
  }
}
