// The engine package's "./worker" entry (@lsm-lab/engine/worker): what a page needs to run a database in a worker
// (LsmClient, which starts worker.ts itself, and the protocol's types) and to judge it after a crash (WriteOracle).
export * from './client';
export { type CrashVerdict, type CrashWrite, WriteOracle } from './oracle';
