// The engine package's "./storage" entry (@lsm-lab/engine/storage): storage beyond the in-memory one the main
// entry exports: OPFS (in a worker), the fault injector the crash lab and the tests share, the forwarding base
// for wrappers of one's own, and the checked read the engine itself uses.
export { type Damage, FaultyStorage, type InjectedFault, type PowerLossReport, ProcessCrashed } from './faulty';
export { readAt } from './io';
export { OpfsStorage } from './opfs';
export { FileWrapper, StorageWrapper } from './wrapper';
