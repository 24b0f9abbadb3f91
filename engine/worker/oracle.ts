// The write oracle: what a client knows about its writes, kept outside the storage under test, to judge a
// recovered database by. The lab's durability report (web/store/actions) and the crash-safety tests
// (test/unit/crash) use this one class. Keys and values are strings (the lab uses hex; the tests, text).
//
// A write issued and acknowledged must survive any crash; a write rejected while the database carried on must
// not be there; a write neither acknowledged nor rejected when the process died is in doubt: either is correct.

/** One write, as the oracle records it. */
export type CrashWrite = { op: 'put'; key: string; value: string } | { op: 'delete'; key: string };

/** What one recovered state is charged with. */
export interface CrashVerdict {
  /** Keys whose last acknowledged write is neither there nor overwritten by a later issued write. */
  lost: number;
  /** Keys holding a value no issued write put there. */
  ghosts: number;
  /** True when the state is not the state after any prefix of the issued writes that covers every acknowledged one. */
  hole: boolean;
  /** What went wrong, for the failure message. */
  detail: string;
}

/**
 * The writes issued, in call order (which is the tree's queue order), which of them were acknowledged, and which
 * failed for certain (rejected by a database that went on writing: the engine says such a write did not happen).
 * A write neither acknowledged nor failed is in doubt: it may or may not be there.
 */
export class WriteOracle {
  readonly issued: CrashWrite[] = [];
  readonly acked = new Set<number>();
  readonly failed = new Set<number>();
  /** Issued, and neither answered nor given up on: what a crash now would leave in doubt. */
  readonly #inFlight = new Set<number>();

  issue(write: CrashWrite): number {
    this.issued.push(write);
    this.#inFlight.add(this.issued.length - 1);
    return this.issued.length - 1;
  }

  ack(index: number): void {
    this.acked.add(index);
    this.#inFlight.delete(index);
  }

  /** The write was rejected and the database carried on: it must not be there, then or after any crash. */
  fail(index: number): void {
    this.failed.add(index);
    this.#inFlight.delete(index);
  }

  /** No answer will come (the process died with the write in flight): it stays in doubt, no longer in flight. */
  forget(index: number): void {
    this.#inFlight.delete(index);
  }

  /** Writes issued and not answered yet: in doubt, should the process die now. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** Forgets every write: a new database. */
  clear(): void {
    this.issued.length = 0;
    this.acked.clear();
    this.failed.clear();
    this.#inFlight.clear();
  }

  /** Every key any issued write touched, sorted. */
  keys(): string[] {
    return [...new Set(this.issued.map((w) => w.key))].sort();
  }

  /** The acknowledged writes alone, applied in order: what a database that failed the others must hold. */
  acknowledgedState(): Map<string, string> {
    const state = new Map<string, string>();
    this.issued.forEach((w, i) => {
      if (!this.acked.has(i)) return;
      if (w.op === 'put') state.set(w.key, w.value);
      else state.delete(w.key);
    });
    return state;
  }

  /**
   * Per key, what its last acknowledged write left: the value, or null for a delete. What recovery must bring
   * back, key by key (the lab's durability report checks exactly this).
   */
  lastAcknowledged(): Map<string, string | null> {
    const last = new Map<string, string | null>();
    this.issued.forEach((w, i) => {
      if (this.acked.has(i)) last.set(w.key, w.op === 'put' ? w.value : null);
    });
    return last;
  }

  /**
   * The recovered state's verdict: acknowledged writes lost, ghosts (values no counted write put there), and
   * whether it is the state after some prefix of the issued writes that covers every acknowledged one.
   */
  check(recovered: Map<string, string>): CrashVerdict {
    const problems: string[] = [];
    const counted = (i: number) => !this.failed.has(i);
    const origin = new Map<string, { key: string; index: number }>();
    this.issued.forEach((w, index) => {
      if (w.op === 'put' && counted(index)) origin.set(w.value, { key: w.key, index });
    });
    let ghosts = 0;
    for (const [key, value] of recovered) {
      const from = origin.get(value);
      if (!from || from.key !== key) {
        ghosts++;
        problems.push(`ghost ${key}=${value}`);
      }
    }
    // Lost: per key, the last acknowledged write must be there, or a write issued after it.
    const lastAcked = new Map<string, number>();
    for (const i of this.acked)
      lastAcked.set(this.issued[i]!.key, Math.max(lastAcked.get(this.issued[i]!.key) ?? -1, i));
    let lost = 0;
    for (const [key, acked] of lastAcked) {
      const value = recovered.get(key);
      const ok =
        value === undefined
          ? this.issued.some((w, i) => i >= acked && counted(i) && w.key === key && w.op === 'delete')
          : (origin.get(value)?.index ?? -1) >= acked && origin.get(value)?.key === key;
      if (!ok) {
        lost++;
        const w = this.issued[acked]!;
        problems.push(
          `lost ${key}: acknowledged #${acked} ${w.op === 'put' ? `= ${w.value}` : 'delete'}, found ${value ?? 'nothing'}`,
        );
      }
    }
    // Holes: walk the prefixes (failed writes left out), keeping count of the keys where the prefix's state and the
    // recovered one differ.
    const firstAllowed = this.acked.size === 0 ? 0 : Math.max(...this.acked) + 1;
    const state = new Map<string, string>();
    let differing = recovered.size;
    let hole = !(firstAllowed === 0 && differing === 0);
    for (let n = 0; n < this.issued.length && hole; n++) {
      const w = this.issued[n]!;
      if (counted(n)) {
        const before = state.get(w.key) === recovered.get(w.key);
        if (w.op === 'put') state.set(w.key, w.value);
        else state.delete(w.key);
        const after = state.get(w.key) === recovered.get(w.key);
        differing += (before ? 1 : 0) - (after ? 1 : 0);
      }
      if (n + 1 >= firstAllowed && differing === 0) hole = false;
    }
    if (hole)
      problems.push(`no prefix of the ${this.issued.length} issued writes from ${firstAllowed} on gives this state`);
    return { lost, ghosts, hole, detail: problems.slice(0, 4).join('; ') };
  }
}
