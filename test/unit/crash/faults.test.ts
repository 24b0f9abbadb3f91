// Crash safety 4: an I/O error, a full quota or a short write, injected at every file operation of a seeded
// session in turn. The session opens an existing database (whose WAL ends in a torn record, so recovery truncates),
// writes one operation at a time with threshold and manual flushes, compactions and a reopen. For each operation
// kind (write, flush, truncate, open, remove) and each fault kind (io, quota, short-write for writes), the n-th
// operation of that kind fails, for every n the session reaches; then the same with the cut-back that follows
// failing too (every truncate fails from then on, which is what turns the database read-only), and with a quota
// that stays full for three writes before space is freed.
//
// Figures: failed operations reported as success 0 (every put or delete whose promise resolved is there, (a) on
// the same database if it is still writable, and (b) after reopening the raw MemoryStorage, where also ghosts 0,
// holes 0, failed opens 0); a quota fault on a user write's WAL append or sync surfaces as LsmError
// 'quota-exceeded'; after a read-only transition, writes reject with 'read-only' and reads still return every
// acknowledged write.
//
// Long run (a longer session):
//   LSM_CRASH_LONG=1 npx vitest run --project unit test/unit/crash
import { describe, expect, it } from 'vitest';
import { ErrorCode, LsmError, type LsmOptions, LsmTree, MemoryStorage, utf8 } from '../../../engine';
import { FaultyStorage, type InjectedFault } from '../../../engine/storage/faulty';
import type { Durability } from '../../../engine/tree';
import { CRASH_LONG, CrashFigures, checkRecovery, crashWorkload, figure, readState } from '../support/crash';
import { applyWrite, type CrashScenario, crashScenario, isWrite, startScenario } from '../support/scenario';
import type { HookedStorage, StorageOperation } from '../support/storage';
import { text } from '../support/tree';

const OPTIONS: LsmOptions = { memtableBytes: 160, l0Trigger: 2, blockSize: 128, compaction: 'leveled' };
const SETUP_STEPS = 40;
const SESSION_STEPS = CRASH_LONG ? 120 : 28;
const REOPEN_EVERY = CRASH_LONG ? 40 : 14;
/** How many steps a persistent quota fault lasts before the test frees the space. */
const QUOTA_FULL_FOR = 3;

type Scenario = CrashScenario;

async function scenario(): Promise<Scenario> {
  return crashScenario({
    options: OPTIONS,
    setup: crashWorkload(11, SETUP_STEPS, { tag: 's' }).filter(isWrite),
    session: crashWorkload(12, SESSION_STEPS, { reopenEvery: REOPEN_EVERY, flushes: 0.08 }),
    // The crash that ended the last session tore a record: the session's first recovery cuts it off.
    afterSetup: (base, wal) => base.poke(wal, base.snapshot(wal).length, Uint8Array.of(0x13, 0x37, 0, 0, 9)),
  });
}

const write = applyWrite;
const start = startScenario;

/** Everything the runs add up to. */
class Tally {
  points = 0;
  /** Acknowledged writes missing or wrong on the same database, still writable, after the session. */
  reportedAsSuccess = 0;
  /** Rejected writes whose value is there anyway, on the same database. */
  failedButApplied = 0;
  rejectedWrites = 0;
  backgroundErrors = 0;
  readOnlyTransitions = 0;
  readOnlyRefusals = 0;
  readOnlyReadsCorrect = 0;
  quotaOnWal = 0;
  quotaOnWalTyped = 0;
  faultsFired = 0;
  failedOpensInSession = 0;
  codes = new Map<string, number>();
  /** Errors that reached the caller as something other than an LsmError, by API. */
  readonly untypedErrors = new Map<string, number>();
  readonly notFired: string[] = [];
  readonly after = new CrashFigures();
  readonly problems: string[] = [];

  problem(message: string): void {
    if (this.problems.length < 10) this.problems.push(message);
  }

  untyped(api: string, error: unknown): void {
    const key = `${api}: ${error instanceof Error ? error.name : typeof error}`;
    this.untypedErrors.set(key, (this.untypedErrors.get(key) ?? 0) + 1);
  }

  code(error: unknown): void {
    const name = error instanceof LsmError ? error.code : error instanceof Error ? error.name : typeof error;
    this.codes.set(name, (this.codes.get(name) ?? 0) + 1);
  }
}

const storageErrorName = (error: unknown) => (error instanceof Error ? error.name : '');

/** Opens, as a restarted process would: a one-shot fault fails the first attempt, the second one opens. */
async function openRetrying(storage: HookedStorage, options: LsmOptions, tally: Tally, where: string) {
  for (let attempt = 1; attempt <= 2; attempt++) {
    try {
      return await LsmTree.open(storage, options);
    } catch (error) {
      tally.failedOpensInSession++;
      tally.code(error);
      if (!(error instanceof LsmError)) tally.untyped('LsmTree.open', error);
      // OPFS allows one handle per file: a file still open here is a handle the last close() leaked.
      if (error instanceof Error && error.name === 'NoModificationAllowedError') {
        tally.problem(`${where}: reopening failed, a handle is still open: ${error.message}`);
      }
      if (error instanceof LsmError && error.code === ErrorCode.Corruption) tally.problem(`${where}: ${error.message}`);
    }
  }
  return undefined;
}

async function runWithFaults(
  s: Scenario,
  durability: Durability,
  faults: InjectedFault[],
  tally: Tally,
  where: string,
  afterOpen = false,
): Promise<void> {
  const { memory, faulty, storage, oracle } = await start(s);
  if (!afterOpen) for (const fault of faults) faulty.inject(fault);
  const persistentQuota = faults.some((f) => f.persistent && f.kind === 'quota');
  const options: LsmOptions = {
    ...OPTIONS,
    durability,
    onEvent: (e) => {
      if (e.type === 'background.error') tally.backgroundErrors++;
    },
  };
  tally.points++;
  let db = await openRetrying(storage, options, tally, where);
  if (afterOpen) for (const fault of faults) faulty.inject(fault);
  let failedSteps = 0;
  for (const step of s.session) {
    if (!db) break;
    if (step.op === 'reopen') {
      await db.close().catch((error: unknown) => {
        tally.code(error);
        if (!(error instanceof LsmError)) tally.untyped('close', error);
      });
      db = await openRetrying(storage, options, tally, where);
    } else if (step.op === 'flush') {
      await db.flush().catch((error: unknown) => {
        failedSteps++;
        tally.code(error);
        if (!(error instanceof LsmError)) tally.untyped('flush', error);
      });
    } else {
      const index = oracle.issue(step);
      const seen = storage.errors.length;
      try {
        await write(db, step);
        oracle.ack(index);
      } catch (error) {
        failedSteps++;
        tally.rejectedWrites++;
        tally.code(error);
        // Rejected by a database that carries on: the engine says it did not happen. At a read-only
        // transition it is in doubt (its record may be on storage, not cut back), so it may be there or not.
        if (!db.readOnly) oracle.fail(index);
        if (!(error instanceof LsmError)) tally.problem(`${where}: a write rejected with ${String(error)}`);
        // A full quota met by this write's own WAL append or sync must say so.
        const quotaOnWal = storage.errors
          .slice(seen)
          .some((e) => e.file.endsWith('.log') && storageErrorName(e.error) === 'QuotaExceededError');
        if (quotaOnWal) {
          tally.quotaOnWal++;
          if (error instanceof LsmError && error.code === ErrorCode.QuotaExceeded) tally.quotaOnWalTyped++;
          else tally.problem(`${where}: quota fault on the WAL surfaced as ${String(error)}`);
        }
      }
    }
    if (db?.readOnly) {
      tally.readOnlyTransitions++;
      // Writes are refused with 'read-only'; reads still work and still see every acknowledged write.
      const refused = await Promise.all([
        db.put(utf8('refused'), utf8('x')).then(
          () => undefined,
          (e: unknown) => e,
        ),
        db.delete(utf8(oracle.keys()[0]!)).then(
          () => undefined,
          (e: unknown) => e,
        ),
      ]);
      if (refused.every((e) => e instanceof LsmError && e.code === ErrorCode.ReadOnly)) tally.readOnlyRefusals++;
      else tally.problem(`${where}: a read-only database answered a write with ${refused.map(String).join(', ')}`);
      const { state, disagreements } = await readState(db, oracle.keys());
      if (disagreements === 0 && sameState(state, oracle.acknowledgedState())) tally.readOnlyReadsCorrect++;
      else tally.problem(`${where}: reads on the read-only database differ from the acknowledged writes`);
      break;
    }
    if (persistentQuota && failedSteps >= QUOTA_FULL_FOR) faulty.clearFaults(); // space freed
  }
  if (storage.errors.length + storage.shortWrites.length > 0) tally.faultsFired++;
  else tally.notFired.push(where);

  // (a) The same database, still writable: exactly the acknowledged writes, none of the failed ones.
  if (db && !db.readOnly) {
    const { state, disagreements } = await readState(db, oracle.keys());
    const acknowledged = oracle.acknowledgedState();
    for (const key of oracle.keys()) {
      const value = state.get(key);
      if (value === acknowledged.get(key)) continue;
      const rejected = [...oracle.failed].map((i) => oracle.issued[i]!).filter((w) => w.key === key);
      if (rejected.some((w) => (w.op === 'put' ? w.value === value : value === undefined))) tally.failedButApplied++;
      else tally.reportedAsSuccess++;
      tally.problem(`${where}: same database, ${key} = ${value}, acknowledged ${acknowledged.get(key)}`);
    }
    if (disagreements > 0) tally.problem(`${where}: point reads disagree with the scan`);
  }
  // (b) A new process on the raw files.
  faulty.die();
  const verdict = await checkRecovery(memory, oracle, OPTIONS, true);
  tally.after.record(where, verdict);
}

function sameState(a: Map<string, string>, b: Map<string, string>): boolean {
  return a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
}

const SINGLE: Array<{ operation: StorageOperation; kind: InjectedFault['kind'] }> = [
  { operation: 'write', kind: 'io' },
  { operation: 'write', kind: 'quota' },
  { operation: 'write', kind: 'short-write' },
  { operation: 'flush', kind: 'io' },
  { operation: 'flush', kind: 'quota' },
  { operation: 'truncate', kind: 'io' },
  { operation: 'truncate', kind: 'quota' },
  { operation: 'open', kind: 'io' },
  { operation: 'open', kind: 'quota' },
  { operation: 'remove', kind: 'io' },
  { operation: 'remove', kind: 'quota' },
];

/** The session without faults: how many operations of each kind it makes in all, and once the database is open. */
async function countOperations(s: Scenario, durability: Durability) {
  const { storage } = await start(s);
  let db = await LsmTree.open(storage, { ...OPTIONS, durability });
  const opened = { ...storage.counts };
  for (const step of s.session) {
    if (step.op === 'reopen') {
      await db.close();
      db = await LsmTree.open(storage, { ...OPTIONS, durability });
    } else if (step.op === 'flush') await db.flush();
    else await write(db, step);
  }
  // Counted before any close: the runs end without one.
  const counts = { ...storage.counts };
  const afterOpen = { ...counts };
  for (const operation of Object.keys(counts) as StorageOperation[]) afterOpen[operation] -= opened[operation];
  return { counts, afterOpen };
}

async function faultsAtEveryOperation(durability: Durability) {
  const s = await scenario();
  const { counts, afterOpen } = await countOperations(s, durability);
  for (const operation of ['open', 'remove', 'write', 'flush', 'truncate'] as const) {
    expect(counts[operation], operation).toBeGreaterThan(0);
  }

  const tally = new Tally();
  for (const { operation, kind } of SINGLE) {
    for (let nth = 1; nth <= counts[operation]; nth++) {
      await runWithFaults(s, durability, [{ operation, nth, kind }], tally, `${operation} ${kind} #${nth}`);
    }
  }
  // The write or sync fails and so does the cut-back that would undo it. Injected once the database is open (its
  // recovery truncates a torn tail, which would fail too and keep it closed): n counts from there.
  for (const operation of ['write', 'flush'] as const) {
    for (let nth = 1; nth <= afterOpen[operation]; nth++) {
      await runWithFaults(
        s,
        durability,
        [
          { operation, nth, kind: 'io' },
          { operation: 'truncate', nth: 1, kind: 'io', persistent: true },
        ],
        tally,
        `${operation} io #${nth} after open, then every truncate`,
        true,
      );
    }
  }
  // The quota is full from the n-th write on, for a few steps, then space is freed.
  for (let nth = 1; nth <= counts.write; nth++) {
    await runWithFaults(
      s,
      durability,
      [{ operation: 'write', nth, kind: 'quota', persistent: true }],
      tally,
      `write quota from #${nth}, ${QUOTA_FULL_FOR} steps`,
    );
  }
  return { tally, counts };
}

function report(durability: Durability, tally: Tally, counts: Record<StorageOperation, number>): void {
  const codes = [...tally.codes].map(([code, n]) => `${code} ${n}`).join(', ');
  console.log(
    `fault injection (${durability}) at ${figure(tally.points)} points (session of ${Object.entries(counts)
      .map(([op, n]) => `${n} ${op}`)
      .join(', ')}): failed operations reported as success ${tally.reportedAsSuccess + tally.after.lost}` +
      ` (same database ${tally.reportedAsSuccess}, after reopen ${tally.after.lost}), read-only transitions ${tally.readOnlyTransitions}` +
      ` (writes then refused with 'read-only' ${tally.readOnlyRefusals}, reads correct ${tally.readOnlyReadsCorrect}),` +
      ` quota faults on WAL appends ${tally.quotaOnWal} ('quota-exceeded' ${tally.quotaOnWalTyped}),` +
      ` rejected writes ${tally.rejectedWrites}, failed writes applied anyway ${tally.failedButApplied}, background errors ${tally.backgroundErrors},` +
      ` opens failed by the fault ${tally.failedOpensInSession}; after reopen: ${tally.after.summary()}; errors seen: ${codes}` +
      `; not LsmError: ${[...tally.untypedErrors].map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}`,
  );
}

describe('Injected I/O errors, full quota and short writes at every operation', () => {
  // 'relaxed' acknowledges a write before it is written at all (its documented trade-off), so "failed but
  // reported as success" is its definition rather than a bug: it has its own scenario below.
  for (const durability of ['durable'] as const) {
    it(
      `FaultAtEveryOperation (${durability}): no failed operation reported as success`,
      async () => {
        const { tally, counts } = await faultsAtEveryOperation(durability);
        report(durability, tally, counts);
        // Every run fired its fault (the n-th operation of that kind exists in every run: the session is the same).
        expect(tally.notFired).toEqual([]);
        expect(tally.faultsFired).toBe(tally.points);
        expect(tally.problems).toEqual([]);
        expect(tally.reportedAsSuccess).toBe(0);
        expect(tally.after.failures).toEqual([]);
        expect(tally.after.clean).toBe(true);
        // What the faults must have exercised.
        expect(tally.quotaOnWal).toBeGreaterThan(0);
        expect(tally.quotaOnWalTyped).toBe(tally.quotaOnWal);
        expect(tally.readOnlyTransitions).toBeGreaterThan(0);
        expect(tally.readOnlyRefusals).toBe(tally.readOnlyTransitions);
        expect(tally.readOnlyReadsCorrect).toBe(tally.readOnlyTransitions);
        if (durability === 'durable') expect(tally.failedButApplied).toBe(0);
      },
      CRASH_LONG ? 900_000 : 30_000,
    );
  }
});

describe('Single faults, one scenario each', () => {
  const acknowledged = async (db: LsmTree, n: number) => {
    for (let i = 0; i < n; i++) await db.put(utf8(`key${i}`), utf8(`value${i}`));
  };
  const expectAcknowledged = async (db: LsmTree, n: number) => {
    for (let i = 0; i < n; i++) expect(text(await db.get(utf8(`key${i}`))), `key${i}`).toBe(`value${i}`);
  };

  it('QuotaFullOnTheWalAppend: the write fails with quota-exceeded, nothing happened, and writing goes on', async () => {
    const memory = new MemoryStorage();
    const faulty = new FaultyStorage(memory);
    const db = await LsmTree.open(faulty);
    await acknowledged(db, 3);
    faulty.inject({ operation: 'write', nth: 1, kind: 'quota', fileSuffix: '.log' });
    await expect(db.put(utf8('full'), utf8('x'))).rejects.toMatchObject({ code: ErrorCode.QuotaExceeded });
    expect(db.readOnly).toBeUndefined();
    await db.put(utf8('key3'), utf8('value3'));
    expect(await db.get(utf8('full'))).toBeUndefined();
    faulty.die();
    const reopened = await LsmTree.open(memory);
    await expectAcknowledged(reopened, 4);
    expect(await reopened.get(utf8('full'))).toBeUndefined();
  });

  it('WalSyncAndItsCutBackFail (durable): read-only, writes refused, reads work, reopening recovers', async () => {
    const memory = new MemoryStorage();
    const faulty = new FaultyStorage(memory);
    const db = await LsmTree.open(faulty);
    await acknowledged(db, 3);
    faulty.inject({ operation: 'flush', nth: 1, kind: 'io', fileSuffix: '.log' });
    faulty.inject({ operation: 'truncate', nth: 1, kind: 'io', persistent: true });
    await expect(db.put(utf8('doubt'), utf8('x'))).rejects.toMatchObject({ code: ErrorCode.IoError });
    expect(db.readOnly).toBeDefined();
    await expect(db.put(utf8('more'), utf8('x'))).rejects.toMatchObject({ code: ErrorCode.ReadOnly });
    await expect(db.delete(utf8('key0'))).rejects.toMatchObject({ code: ErrorCode.ReadOnly });
    await expectAcknowledged(db, 3);
    faulty.die();
    const reopened = await LsmTree.open(memory);
    await expectAcknowledged(reopened, 3);
    await reopened.put(utf8('key3'), utf8('value3'));
    await expectAcknowledged(reopened, 4);
  });

  it('ManifestSyncAndItsCutBackFail: the tables its record names are kept, so the database still opens', async () => {
    const memory = new MemoryStorage();
    const faulty = new FaultyStorage(memory);
    const db = await LsmTree.open(faulty);
    await acknowledged(db, 20);
    const { manifest } = await db.describe();
    // The commit's flush fails, and so does truncating the record back off: it stays in the manifest.
    faulty.inject({ operation: 'flush', nth: 1, kind: 'io', fileSuffix: manifest.file });
    faulty.inject({ operation: 'truncate', nth: 1, kind: 'io', persistent: true, fileSuffix: manifest.file });
    await expect(db.flush()).rejects.toMatchObject({ code: ErrorCode.IoError });
    faulty.die();
    const reopened = await LsmTree.open(memory);
    await expectAcknowledged(reopened, 20);
  });

  it('CloseWhoseWalSyncFails (relaxed): it still releases every handle, so the database can be opened again', async () => {
    const memory = new MemoryStorage();
    const faulty = new FaultyStorage(memory);
    const db = await LsmTree.open(faulty, { durability: 'relaxed', memtableBytes: 256 });
    await acknowledged(db, 12); // a flush: an SSTable is open too
    expect((await db.describe()).tables.length).toBeGreaterThan(0);
    await acknowledged(db, 1);
    faulty.inject({ operation: 'flush', nth: 1, kind: 'io', fileSuffix: '.log' });
    await expect(db.close()).rejects.toMatchObject({ code: ErrorCode.IoError });
    // The same process opens the database again (OPFS allows one handle per file).
    const error = await LsmTree.open(faulty).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeUndefined();
  });

  it('WalSyncFails (relaxed): the unflushed group is lost as documented, writing stops, and what remains is a prefix', async () => {
    const memory = new MemoryStorage();
    const faulty = new FaultyStorage(memory);
    const db = await LsmTree.open(faulty, { durability: 'relaxed', groupCommitMs: 60_000 });
    await acknowledged(db, 3); // acknowledged at once, still waiting in memory for the group's write
    faulty.inject({ operation: 'flush', nth: 1, kind: 'io', fileSuffix: '.log' });
    await expect(db.flush()).rejects.toMatchObject({ code: ErrorCode.IoError });
    // Nothing may be acknowledged on top of writes that may vanish: the database refuses writes now.
    expect(db.readOnly).toBeDefined();
    await expect(db.put(utf8('after'), utf8('x'))).rejects.toMatchObject({ code: ErrorCode.ReadOnly });
    faulty.die();
    const reopened = await LsmTree.open(memory);
    // Relaxed's price: the group that never reached storage is gone. No value that was never written appears.
    const present = [];
    for (let i = 0; i < 3; i++) present.push(await reopened.get(utf8(`key${i}`)));
    expect(present.every((v) => v === undefined)).toBe(true);
    expect(await reopened.get(utf8('after'))).toBeUndefined();
  });
});
