// The view model and the pure fold that builds it: applyEvent(view, event) -> view. The UI draws only this, and
// this is built only from the engine's events, so test/unit/web/fold.test.ts can prove that folding the events of any
// run gives exactly the engine's own state (LsmTree.describe()). One reducer per part of the engine:
//   wal.ts  memtable.ts  tables.ts  compaction.ts  reads.ts  recovery.ts  workload.ts, routed by apply.ts;
//   fold.ts folds many events (with the table fast path), state.ts is the bridge to the engine's terms.
export { applyEvent } from './apply';
export { foldEvents } from './fold';
export { viewToState } from './state';
export {
  type CompactionView,
  type FilteredView,
  type Focus,
  initialView,
  type KeptMark,
  type MemtableEntryView,
  type ProbePhase,
  type ReadStep,
  type ReadView,
  type RecoveryView,
  type ScanStepView,
  type ScanView,
  type SstableFound,
  type TableView,
  type TxnView,
  type ViewModel,
  type WalRecordView,
  type WalView,
} from './view-model';
