// The scenario every crash file starts from: a database built once, without faults, from seeded writes (all
// acknowledged) and closed cleanly; a seeded session of steps for the crashes to hit; and, per crash point, a
// fresh copy of that database behind a FaultyStorage (and a HookedStorage counting its operations) with an
// oracle that already knows the setup's writes. Copying the built database spends the points where the crashes are.
import { type LsmOptions, LsmTree, MemoryStorage, utf8 } from '../../../engine';
import { FaultyStorage } from '../../../engine/storage/faulty';
import { type CrashStep, type CrashWrite, isCrash, WriteOracle } from './crash';
import { copyStorage, HookedStorage } from './storage';

export interface CrashScenario {
  /** The database the session starts from, closed cleanly. */
  base: MemoryStorage;
  /** Its writes, every one acknowledged. */
  setup: CrashWrite[];
  /** The steps the crashes hit. */
  session: CrashStep[];
}

/**
 * Builds the base database: opens `options`, runs `setup` (each step awaited: writes, manual flushes), lets
 * `afterSetup` damage what a last crash left (it is given the storage and the WAL's name), and closes.
 */
export async function crashScenario(spec: {
  options: LsmOptions;
  setup: readonly CrashStep[];
  session: CrashStep[];
  afterSetup?: (base: MemoryStorage, wal: string) => void;
}): Promise<CrashScenario> {
  const base = new MemoryStorage();
  const db = await LsmTree.open(base, spec.options);
  for (const step of spec.setup) {
    if (step.op === 'flush') await db.flush();
    else if (step.op !== 'reopen') await applyWrite(db, step);
  }
  const { wal } = await db.describe();
  await db.close();
  spec.afterSetup?.(base, wal.file);
  return { base, setup: spec.setup.filter(isWrite), session: spec.session };
}

/** A fresh copy of the scenario's database, the fault injector and counter in front of it, and a primed oracle. */
export async function startScenario(s: CrashScenario) {
  const memory = await copyStorage(s.base);
  const faulty = new FaultyStorage(memory);
  const oracle = new WriteOracle();
  for (const w of s.setup) oracle.ack(oracle.issue(w));
  return { memory, faulty, storage: new HookedStorage(faulty), oracle };
}

export function isWrite(step: CrashStep): step is CrashWrite {
  return step.op === 'put' || step.op === 'delete';
}

export async function applyWrite(db: LsmTree, w: CrashWrite): Promise<void> {
  if (w.op === 'put') await db.put(utf8(w.key), utf8(w.value));
  else await db.delete(utf8(w.key));
}

/**
 * Runs the steps one at a time, each awaited, until the planned crash stops them. Every write is issued to the
 * oracle before it starts and acknowledged when its promise resolves; `extra` runs after each step. Errors that
 * are not the crash are returned: there must be none.
 */
export async function runUntilCrash(
  storage: FaultyStorage,
  steps: readonly CrashStep[],
  options: LsmOptions,
  oracle: WriteOracle,
  extra?: (db: LsmTree, step: number) => Promise<unknown>,
): Promise<unknown[]> {
  const unexpected: unknown[] = [];
  let db: LsmTree;
  try {
    db = await LsmTree.open(storage, options);
  } catch (error) {
    if (!isCrash(error)) unexpected.push(error);
    return unexpected;
  }
  for (const [n, step] of steps.entries()) {
    try {
      if (step.op === 'reopen') {
        await db.close();
        db = await LsmTree.open(storage, options);
      } else if (step.op === 'flush') {
        await db.flush();
      } else {
        const index = oracle.issue(step);
        await applyWrite(db, step);
        oracle.ack(index);
      }
      await extra?.(db, n);
    } catch (error) {
      if (!isCrash(error)) unexpected.push(error);
      break;
    }
  }
  return unexpected;
}
