// FaultyStorage: a Storage wrapper that knows what has not been flushed, and can make things go wrong on
// purpose, as LevelDB's fault-injection env and SQLite's crash VFS do. The test suite's fault injector and the
// lab's crash switch are the same code.
//
//  - process crash (die): every later operation throws; what write() accepted stays (that is what a killed
//    worker leaves behind, docs/platform.md §5);
//  - power loss: each write not yet flushed is kept, dropped, torn to a prefix, or replaced by garbage,
//    chosen by a seeded generator; then the process is dead too;
//  - crash after operation k, and torn writes to the next file of a kind (the lab's crash points);
//  - injected failures: the n-th write / flush / truncate / open throws an I/O error or QuotaExceededError,
//    once or from then on, or a write reports a short count.
//
// Closing a file counts as flushing it: the engine only closes files it has flushed or no longer needs.

import { mulberry32 } from '../random';
import type { StorageFile } from './storage';
import { StorageWrapper } from './wrapper';

export type FileOperation = 'open' | 'remove' | 'write' | 'flush' | 'truncate';
export type Damage = 'keep' | 'drop' | 'torn' | 'garbage';

export interface InjectedFault {
  operation: FileOperation;
  /** Counted among operations of this kind from when the fault was injected: 1 = the next one. */
  nth: number;
  kind: 'io' | 'quota' | 'short-write';
  /** After the first failure, fail every later operation of this kind too. */
  persistent?: boolean;
  /** Only operations on files whose name ends with this (e.g. '.log'). */
  fileSuffix?: string;
}

/** Thrown by every operation after the simulated process died. */
export class ProcessCrashed extends Error {
  override readonly name = 'ProcessCrashed';
  constructor() {
    super('the process crashed (simulated): storage refuses every operation');
  }
}

interface UnflushedWrite {
  at: number;
  length: number;
  /** The bytes this write replaced (empty past the old end of file). */
  previous: Uint8Array;
  previousSize: number;
}

interface OpenFile {
  name: string;
  inner: StorageFile;
  unflushed: UnflushedWrite[];
  durableSize: number;
}

export interface PowerLossReport {
  /** Per file, what happened to each write that had not been flushed. */
  files: Array<{ file: string; writes: Damage[]; sizeBefore: number; sizeAfter: number }>;
}

export class FaultyStorage extends StorageWrapper {
  /** Mutating operations so far: open, remove, write, flush, truncate. */
  operations = 0;
  #dead = false;
  #crashAfter: number | undefined;
  #tearNext: { fileSuffix: string } | undefined;
  readonly #faults: Array<InjectedFault & { seen: number; fired: boolean }> = [];
  readonly #open = new Set<OpenFile>();
  /** The write tearNextWrite cut short: its file, and the file's size once the half it wrote landed. */
  lastTorn: { file: string; size: number } | undefined;
  /** Called when a planned crash fires (crashAfter, tearNextWrite), before the operation throws. */
  onCrash: ((report: PowerLossReport | undefined) => void) | undefined;
  /** When set, a planned crash is a power loss with this seed instead of a process crash. */
  powerLossSeed: number | undefined;

  get dead(): boolean {
    return this.#dead;
  }

  /**
   * The process dies now: every later operation throws ProcessCrashed. Written bytes stay as they are, and
   * the handles are released, as they are when a worker is terminated, so that a new "process" can open them.
   */
  die(): void {
    this.#dead = true;
    for (const file of this.#open) {
      try {
        file.inner.close();
      } catch {
        // already closed
      }
    }
    this.#open.clear();
  }

  /** The process dies just before mutating operation number k + 1. */
  crashAfter(k: number): void {
    this.#crashAfter = k;
  }

  /** The next write to a file ending in `fileSuffix` writes only a prefix of its bytes, then the process dies. */
  tearNextWrite(fileSuffix: string): void {
    this.#tearNext = { fileSuffix };
  }

  inject(fault: InjectedFault): void {
    this.#faults.push({ ...fault, seen: 0, fired: false });
  }

  clearFaults(): void {
    this.lastTorn = undefined;
    this.#faults.length = 0;
    this.#crashAfter = undefined;
    this.#tearNext = undefined;
  }

  /**
   * Power loss: every write since its file's last flush is kept, dropped, torn or garbled (seeded, so a test
   * can name the case it failed on), through the still-open handles; then the process is dead.
   * `damage` can force one outcome for every write, for tests that want a specific case.
   */
  powerLoss(seed: number, damage?: Damage): PowerLossReport {
    const random = mulberry32(seed);
    const report: PowerLossReport = { files: [] };
    for (const file of this.#open) {
      if (file.unflushed.length === 0) continue;
      const sizeBefore = file.inner.getSize();
      const decisions = file.unflushed.map(
        () => damage ?? (['keep', 'drop', 'torn', 'garbage'] as const)[Math.floor(random() * 4)]!,
      );
      // The file's size after the loss: its durable size, or the end of whatever survived past it.
      let size = file.durableSize;
      file.unflushed.forEach((write, i) => {
        const decision = decisions[i]!;
        if (decision === 'keep' || decision === 'garbage') size = Math.max(size, write.at + write.length);
      });
      // Undo newest first, so that each write's `previous` bytes are the ones it really replaced.
      const torn: Array<{ at: number; length: number }> = [];
      for (let i = file.unflushed.length - 1; i >= 0; i--) {
        const write = file.unflushed[i]!;
        const decision = decisions[i]!;
        if (decision === 'keep') continue;
        if (decision === 'garbage') {
          const noise = new Uint8Array(write.length);
          for (let b = 0; b < noise.length; b++) noise[b] = Math.floor(random() * 256);
          file.inner.write(noise, { at: write.at });
          continue;
        }
        const keep = decision === 'torn' && write.length > 1 ? 1 + Math.floor(random() * (write.length - 1)) : 0;
        if (keep > 0) torn.push({ at: write.at, length: keep });
        const restored = write.previous.subarray(keep);
        if (restored.length > 0) file.inner.write(restored, { at: write.at + keep });
        const zeros = write.length - keep - restored.length;
        if (zeros > 0) file.inner.write(new Uint8Array(zeros), { at: write.at + keep + restored.length });
      }
      for (const t of torn) size = Math.max(size, t.at + t.length);
      file.inner.truncate(size);
      file.inner.flush();
      report.files.push({ file: file.name, writes: decisions, sizeBefore, sizeAfter: size });
      file.unflushed = [];
    }
    this.die();
    return report;
  }

  override async open(name: string, options?: { create?: boolean }): Promise<StorageFile> {
    this.#before('open', name);
    const inner = await this.inner.open(name, options);
    if (this.#dead) {
      // The process died while this open was on its way (recovery opens files together): a handle it never got
      // is released with the rest.
      inner.close();
      throw new ProcessCrashed();
    }
    const file: OpenFile = { name, inner, unflushed: [], durableSize: inner.getSize() };
    this.#open.add(file);
    return new FaultyFile(this, file);
  }

  override async remove(name: string): Promise<void> {
    this.#before('remove', name);
    await this.inner.remove(name);
  }

  override async list(): Promise<string[]> {
    this.#check();
    return this.inner.list();
  }

  /** Overwrites bytes of a file, open or not, without counting or tracking: the corruption lab's "cosmic ray". */
  async poke(name: string, at: number, bytes: Uint8Array): Promise<void> {
    const open = [...this.#open].find((f) => f.name === name);
    if (open) {
      open.inner.write(bytes, { at });
      open.inner.flush();
      return;
    }
    const file = await this.inner.open(name);
    try {
      file.write(bytes, { at });
      file.flush();
    } finally {
      file.close();
    }
  }

  /** A file's size, open or not. */
  async size(name: string): Promise<number> {
    const open = [...this.#open].find((f) => f.name === name);
    if (open) return open.inner.getSize();
    const file = await this.inner.open(name);
    try {
      return file.getSize();
    } finally {
      file.close();
    }
  }

  /** Reads bytes of a file, open or not (the engine keeps most files open, and OPFS allows one handle). */
  async peek(name: string, at: number, length: number): Promise<Uint8Array> {
    const open = [...this.#open].find((f) => f.name === name);
    const buffer = new Uint8Array(length);
    if (open) return buffer.subarray(0, open.inner.read(buffer, { at }));
    const file = await this.inner.open(name);
    try {
      return buffer.subarray(0, file.read(buffer, { at }));
    } finally {
      file.close();
    }
  }

  #check(): void {
    if (this.#dead) throw new ProcessCrashed();
  }

  /** A planned crash fires: a process crash, or a power loss when a seed was set. */
  #plannedCrash(): void {
    this.#crashAfter = undefined;
    const report = this.powerLossSeed === undefined ? undefined : this.powerLoss(this.powerLossSeed);
    this.die();
    this.onCrash?.(report);
  }

  /** Counts a mutating operation and fires whatever was planned for it. Returns a fault to apply, if any. */
  #before(operation: FileOperation, name: string): InjectedFault | undefined {
    this.#check();
    if (this.#crashAfter !== undefined && this.operations >= this.#crashAfter) {
      this.#plannedCrash();
      throw new ProcessCrashed();
    }
    this.operations++;
    for (const fault of this.#faults) {
      if (fault.operation !== operation) continue;
      if (fault.fileSuffix && !name.endsWith(fault.fileSuffix)) continue;
      fault.seen++;
      if (fault.seen === fault.nth || (fault.persistent && fault.fired)) {
        fault.fired = true;
        if (fault.kind !== 'short-write') throw injectedError(fault.kind, operation, name);
        return fault;
      }
    }
    return undefined;
  }

  /** @internal used by FaultyFile */
  write(file: OpenFile, buffer: Uint8Array, at: number): number {
    const fault = this.#before('write', file.name);
    let bytes = buffer;
    const tear = this.#tearNext && file.name.endsWith(this.#tearNext.fileSuffix);
    if (tear) bytes = buffer.subarray(0, Math.max(1, Math.floor(buffer.length / 2)));
    else if (fault?.kind === 'short-write') bytes = buffer.subarray(0, Math.floor(buffer.length / 2));
    const previousSize = file.inner.getSize();
    const previous = new Uint8Array(Math.max(0, Math.min(bytes.length, previousSize - at)));
    if (previous.length > 0) file.inner.read(previous, { at });
    const written = file.inner.write(bytes, { at });
    file.unflushed.push({ at, length: written, previous, previousSize });
    if (tear) {
      this.#tearNext = undefined;
      this.lastTorn = { file: file.name, size: Math.max(previousSize, at + written) };
      this.#plannedCrash();
      throw new ProcessCrashed();
    }
    return written;
  }

  /** @internal */
  flush(file: OpenFile): void {
    this.#before('flush', file.name);
    file.inner.flush();
    file.unflushed = [];
    file.durableSize = file.inner.getSize();
  }

  /** @internal */
  truncate(file: OpenFile, size: number): void {
    this.#before('truncate', file.name);
    const previousSize = file.inner.getSize();
    if (size < previousSize) {
      // Undoing a truncate under power loss would need the cut bytes back: keep them.
      const previous = new Uint8Array(previousSize - size);
      file.inner.read(previous, { at: size });
      file.inner.truncate(size);
      file.unflushed.push({ at: size, length: 0, previous, previousSize });
      return;
    }
    file.inner.truncate(size);
  }

  /** @internal */
  close(file: OpenFile): void {
    this.#open.delete(file);
    if (this.#dead) return; // a dead process closes nothing; its handles die with it
    file.inner.flush();
    file.inner.close();
  }

  /** @internal */
  live(file: OpenFile): StorageFile {
    this.#check();
    return file.inner;
  }
}

class FaultyFile implements StorageFile {
  readonly #storage: FaultyStorage;
  readonly #file: OpenFile;

  constructor(storage: FaultyStorage, file: OpenFile) {
    this.#storage = storage;
    this.#file = file;
  }

  read(buffer: Uint8Array, options?: { at?: number }): number {
    return this.#storage.live(this.#file).read(buffer, options);
  }
  write(buffer: Uint8Array, options?: { at?: number }): number {
    return this.#storage.write(this.#file, buffer, options?.at ?? 0);
  }
  truncate(newSize: number): void {
    this.#storage.truncate(this.#file, newSize);
  }
  getSize(): number {
    return this.#storage.live(this.#file).getSize();
  }
  flush(): void {
    this.#storage.flush(this.#file);
  }
  close(): void {
    this.#storage.close(this.#file);
  }
}

function injectedError(kind: 'io' | 'quota', operation: FileOperation, name: string): Error {
  return kind === 'quota'
    ? new DOMException(`injected: the storage quota is full (${operation} ${name})`, 'QuotaExceededError')
    : new DOMException(`injected: ${operation} of ${name} failed`, 'InvalidStateError');
}
