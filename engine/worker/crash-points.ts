// The crash lab's crash points: armed from the page, they make the process die (or the power go out) at one
// chosen moment of the engine's work. Some fire on a storage operation (a torn write to the next WAL record or
// SSTable: FaultyStorage.tearNextWrite), others on an engine event (watch): the process dies right there,
// mid-operation, and the page is told (crash.point) before it terminates the worker.
import type { EngineEvent } from '../events';
import type { FaultyStorage, PowerLossReport } from '../storage/faulty';
import type { CrashKind, CrashPoint, PowerLossSummary, WorkerEvent } from './protocol';

/** A power loss's seed, from the clock: every crash damages differently. */
export const clockSeed = (): number => Date.now() & 0x7fffffff;

export class CrashPoints {
  readonly #send: (event: WorkerEvent) => void;
  readonly #flush: () => void;
  /** The storage every file operation goes through: it knows what is unflushed, and can fail. */
  #faulty: FaultyStorage | undefined;
  #armed: { point: CrashPoint; kind: CrashKind; seed: number } | undefined;
  #compactionStarted = false;

  /** `send`: an event for the page; `flush`: send the pending events now. */
  constructor(send: (event: WorkerEvent) => void, flush: () => void) {
    this.#send = send;
    this.#flush = flush;
  }

  /** A database was opened on `faulty`: nothing is armed. */
  attach(faulty: FaultyStorage): void {
    this.#faulty = faulty;
    faulty.onCrash = (report) => this.#reached(report);
    this.#armed = undefined;
  }

  /**
   * `seed`: what a power loss at this point damages (each unflushed write kept, dropped, torn or garbled); a
   * scenario replays with the seed it recorded, so that its replay loses what the recording lost.
   */
  arm(point: CrashPoint | null, kind: CrashKind, seed: number = clockSeed()): void {
    const storage = this.#faulty!;
    storage.clearFaults();
    this.#compactionStarted = false;
    this.#armed = point ? { point, kind, seed } : undefined;
    storage.powerLossSeed = point && kind === 'power' ? seed : undefined;
    if (point === 'wal-append') storage.tearNextWrite('.log');
    if (point === 'mid-sstable') storage.tearNextWrite('.sst');
  }

  /** Every engine event passes here on its way to the page: a crash point armed on it fires. */
  watch(event: EngineEvent): void {
    this.#send(event);
    const faulty = this.#faulty;
    if (!this.#armed || !faulty) return;
    const { point } = this.#armed;
    if (
      point === 'mid-compaction' &&
      event.type === 'compaction.begin' &&
      !event.trivialMove &&
      !this.#compactionStarted
    ) {
      this.#compactionStarted = true;
      faulty.tearNextWrite('.sst');
      return;
    }
    const now =
      (point === 'before-memtable' && event.type === 'wal.flush') ||
      (point === 'before-manifest' && event.type === 'sstable.write');
    if (!now) return;
    let report: PowerLossReport | undefined;
    if (this.#armed.kind === 'power') report = faulty.powerLoss(this.#armed.seed);
    else faulty.die();
    this.#reached(report);
    // Stop the engine in its tracks, as a dead process would: nothing after this line of its runs.
    throw new Error(`crash point reached: ${point}`);
  }

  #reached(report: PowerLossReport | undefined): void {
    if (!this.#armed) return;
    const { point, kind } = this.#armed;
    this.#armed = undefined;
    this.#compactionStarted = false;
    const cut = this.#faulty?.lastTorn;
    // After a power loss the torn file may have kept more or less of itself: the report says how much.
    const size = cut && (report?.files.find((f) => f.file === cut.file)?.sizeAfter ?? cut.size);
    const torn = cut && size !== undefined && size > 0 ? { torn: { file: cut.file, size } } : {};
    this.#send({ type: 'crash.point', id: 0, point, kind, powerLoss: report ? summarize(report) : null, ...torn });
    this.#flush();
  }
}

/** What a power loss did, file by file, in counts: what the page shows. */
export function summarize(report: PowerLossReport): PowerLossSummary {
  return {
    files: report.files.map((f) => ({
      file: f.file,
      kept: f.writes.filter((w) => w === 'keep').length,
      dropped: f.writes.filter((w) => w === 'drop').length,
      torn: f.writes.filter((w) => w === 'torn').length,
      garbled: f.writes.filter((w) => w === 'garbage').length,
      sizeAfter: f.sizeAfter,
    })),
  };
}
