// The crash-safety suite's tools (crash/*.test.ts): an oracle that lives outside the storage under test (the
// writes issued, in call order, and which of them were acknowledged), the check every crash point must pass (the
// four figures: acknowledged writes lost, ghosts, holes, failed opens), and a seeded workload whose every value is
// unique (so a value names the write it came from). The oracle itself is the lab's too (engine/worker/oracle.ts).
// The scenario the crash files share: scenario.ts.
import { ErrorCode, LsmError, type LsmOptions, LsmTree, type MemoryStorage, utf8 } from '../../../engine';
import { type CrashVerdict, type CrashWrite, WriteOracle } from '../../../engine/worker/oracle';
import { seededRandom } from './random';
import { pad, scanAll, text } from './tree';

/** LSM_CRASH_LONG=1 runs the long versions of the crash and fuzz suites. */
export const CRASH_LONG = process.env.LSM_CRASH_LONG === '1';

/** 12345 -> "12,345", for the printed figures. */
export const figure = (n: number) => n.toLocaleString('en-US');

export type CrashStep = CrashWrite | { op: 'flush' } | { op: 'reopen' };

/**
 * Seeded steps: puts (new keys and overwrites), deletes (mostly of live keys), and now and then a manual flush
 * or a clean reopen. Every put's value is unique in the whole workload (it starts with `tag` and the step's
 * number).
 */
export function crashWorkload(
  seed: number,
  steps: number,
  options: { keys?: number; deletes?: number; flushes?: number; reopenEvery?: number; tag?: string } = {},
): CrashStep[] {
  const { keys = 40, deletes = 0.2, flushes = 0.02, reopenEvery = 0, tag = '' } = options;
  const random = seededRandom(seed);
  const live = new Set<string>();
  const out: CrashStep[] = [];
  for (let n = 0; n < steps; n++) {
    if (reopenEvery > 0 && n > 0 && n % reopenEvery === 0) {
      out.push({ op: 'reopen' });
      continue;
    }
    const roll = random.next();
    if (roll < flushes) {
      out.push({ op: 'flush' });
      continue;
    }
    let key = `k${pad(random.below(keys))}`;
    if (roll < flushes + deletes) {
      const liveKeys = [...live];
      if (liveKeys.length > 0 && random.next() < 0.8) key = liveKeys[random.below(liveKeys.length)]!;
      out.push({ op: 'delete', key });
      live.delete(key);
    } else {
      out.push({ op: 'put', key, value: `${tag}v${n}${'.'.repeat(random.below(12))}` });
      live.add(key);
    }
  }
  return out;
}

/**
 * The database's contents over `keys`, by point reads and by a full scan; `disagreements` counts the keys where
 * the two differ (and keys the scan returned outside `keys`, which no write ever used).
 */
export async function readState(
  db: LsmTree,
  keys: readonly string[],
): Promise<{ state: Map<string, string>; disagreements: number }> {
  const state = new Map<string, string>();
  for (const [key, value] of await scanAll(db)) state.set(text(key)!, text(value)!);
  let disagreements = [...state.keys()].filter((k) => !keys.includes(k)).length;
  for (const key of keys) {
    if (text(await db.get(utf8(key))) !== state.get(key)) disagreements++;
  }
  return { state, disagreements };
}

/** The four figures, summed over crash points; the first failures are kept for the assertion message. */
export class CrashFigures {
  points = 0;
  lost = 0;
  ghosts = 0;
  holes = 0;
  failedOpens = 0;
  readonly failures: string[] = [];

  record(where: string, verdict: CrashVerdict | { failedOpen: unknown }): void {
    this.points++;
    if ('failedOpen' in verdict) {
      this.failedOpens++;
      const error = verdict.failedOpen;
      this.#fail(`${where}: open failed: ${error instanceof Error ? `${error.name} ${error.message}` : String(error)}`);
      return;
    }
    this.lost += verdict.lost;
    this.ghosts += verdict.ghosts;
    if (verdict.hole) this.holes++;
    if (verdict.lost > 0 || verdict.ghosts > 0 || verdict.hole) this.#fail(`${where}: ${verdict.detail}`);
  }

  get clean(): boolean {
    return this.lost === 0 && this.ghosts === 0 && this.holes === 0 && this.failedOpens === 0;
  }

  summary(): string {
    return `lost ${figure(this.lost)}, ghosts ${figure(this.ghosts)}, holes ${figure(this.holes)}, failed opens ${figure(this.failedOpens)}`;
  }

  #fail(message: string): void {
    if (this.failures.length < 8) this.failures.push(message);
  }
}

/**
 * Opens the files a crash left (`memory`, no fault injector in the way), reads every key, and checks the state
 * against the oracle. With `writeAfter`, it then writes once more, crashes again and checks that write and the
 * state survived too: recovery must leave files that writing can continue on.
 */
export async function checkRecovery(
  memory: MemoryStorage,
  oracle: WriteOracle,
  options: LsmOptions,
  writeAfter = false,
): Promise<CrashVerdict | { failedOpen: unknown }> {
  const keys = oracle.keys();
  let db: LsmTree;
  try {
    db = await LsmTree.open(memory, options);
  } catch (error) {
    return { failedOpen: error };
  }
  const { state, disagreements } = await readState(db, keys);
  const verdict = oracle.check(state);
  if (disagreements > 0) {
    verdict.hole = true;
    verdict.detail += `; ${disagreements} point reads disagree with the scan`;
  }
  if (writeAfter) {
    const sentinel = 'after-recovery';
    await db.put(utf8(sentinel), utf8('written after recovery'));
    memory.crash();
    try {
      db = await LsmTree.open(memory, options);
    } catch (error) {
      return { failedOpen: error };
    }
    const again = await readState(db, [...keys, sentinel]);
    if (again.state.get(sentinel) !== 'written after recovery') {
      verdict.lost++;
      verdict.detail += '; the write made after recovery was lost by the next crash';
    }
    again.state.delete(sentinel);
    const same = again.state.size === state.size && [...again.state].every(([k, v]) => state.get(k) === v);
    if (again.disagreements > 0 || !same) {
      verdict.hole = true;
      verdict.detail += '; the second recovery changed the state';
    }
  }
  memory.crash();
  return verdict;
}

/** A thrown value that a dying process produces: the injector's ProcessCrashed, or the engine's 'crashed'. */
export function isCrash(error: unknown): boolean {
  return (
    (error instanceof Error && error.name === 'ProcessCrashed') ||
    (error instanceof LsmError && error.code === ErrorCode.Crashed)
  );
}

/**
 * Waits for `promise`, but gives up after `ms` (a watchdog for operations that must settle on their own, such as
 * writes waiting for a group commit whose timer is a few milliseconds): true when it settled in time. The timer is
 * cleared at once when the promise settles, so a passing test never waits for it.
 */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const watchdog = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), watchdog]);
  } finally {
    clearTimeout(timer);
  }
}

export { type CrashVerdict, type CrashWrite, WriteOracle };
