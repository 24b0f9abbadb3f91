// Transactions, as in mini-lsm (week 3, days 5 and 6): optimistic concurrency with serializable validation.
//
//   const tx = await db.transaction();
//   const balance = await tx.get(utf8('alice'));      // read at the transaction's snapshot
//   tx.put(utf8('alice'), next(balance));              // into its private workspace
//   await tx.commit();                                 // one WriteBatch record, or TxnConflict and nothing written
//
// A transaction reads at the snapshot taken when it began (snapshot.ts), through its own workspace first: a
// sorted map of its puts and deletes (a delete is a tombstone there), which nobody else sees. Nothing is locked.
// At commit, inside the tree's serial queue (so that no other write can slip between the check and the write),
// it validates: if any write committed after it began (by a transaction or a plain put, delete or batch) touched
// a key it read, or a key inside a range it scanned, its reads are stale and a serial order can no longer explain
// it: the commit is refused with TxnConflict and writes nothing. Otherwise the workspace goes to the WAL as ONE
// WriteBatch record (batch.ts): after a crash, all of it is there or none. A transaction that wrote nothing
// commits without a check: it read one consistent snapshot, which is a serial order of its own.
//
// What validation compares against lives in the TxnRegistry: while any transaction is open, the write path
// (write.ts) notes the keys of every record it appends, with their sequence numbers; the notes older than the
// oldest open transaction are dropped, since no transaction can conflict with them.
import { WriteBatch } from './batch';
import { compareBytes, decodeUtf8, toHex } from './bytes';
import { ErrorCode, LsmError } from './errors';
import type { EngineEventBody } from './events';
import { checkKey, checkValue } from './limits';
import type { Snapshot } from './snapshot';

/** A scanned range, as hex ([start, end); null: unbounded). Hex compares like the bytes it spells. */
export interface HexRange {
  start: string | null;
  end: string | null;
}

/** What a refused commit read that a later commit wrote. */
export interface TxnConflictFacts {
  /** The key written (hex). */
  key: string;
  /** Its sequence number: a write after the transaction's snapshot. */
  seq: number;
  /** The scanned range the key lies in, when the transaction scanned it rather than read it. */
  range?: HexRange;
}

/** A commit refused by serializable validation. `key` (hex) was written at `seq`, after the transaction began. */
export class TxnConflictError extends LsmError {
  readonly txn: number;
  readonly key: string;
  readonly seq: number;
  readonly range: HexRange | undefined;

  constructor(txn: number, begin: number, facts: TxnConflictFacts) {
    const what = facts.range
      ? `key ${shown(facts.key)}, inside the range ${shown(facts.range.start)}..${shown(facts.range.end)} it scanned,`
      : `key ${shown(facts.key)}, which it read,`;
    super(
      ErrorCode.TxnConflict,
      `transaction ${txn} conflicts: ${what} was written at seq ${facts.seq}, after it began at seq ${begin}`,
    );
    this.txn = txn;
    this.key = facts.key;
    this.seq = facts.seq;
    this.range = facts.range;
  }
}

/** A hex key for a message: its text in quotes when it is printable, else the hex. */
function shown(hex: string | null): string {
  if (hex === null) return '(unbounded)';
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  const text = decodeUtf8(bytes);
  return text !== undefined && /^[\x20-\x7e]+$/.test(text) ? `'${text}'` : `0x${hex}`;
}

/**
 * The open transactions (by id, with the sequence number each began at) and the keys written since the oldest of
 * them began (mini-lsm's committed_txns). Part of the tree's state (state.ts).
 */
export class TxnRegistry {
  readonly #open = new Map<number, number>();
  /** Per WAL record appended while a transaction was open: its first sequence number and its keys (hex), in order. */
  #log: Array<{ first: number; keys: string[] }> = [];
  #nextId = 1;

  /** A transaction begins at `seq`: its id. */
  begin(seq: number): number {
    const id = this.#nextId++;
    this.#open.set(id, seq);
    return id;
  }

  /** A transaction ends (committed or not): the notes no open transaction can conflict with go. */
  end(id: number): void {
    if (!this.#open.delete(id)) return;
    if (this.#open.size === 0) {
      this.#log = [];
      return;
    }
    const oldest = Math.min(...this.#open.values());
    this.#log = this.#log.filter((record) => record.first + record.keys.length - 1 > oldest);
  }

  get open(): number {
    return this.#open.size;
  }

  /** The write path appended a record whose writes take first, first + 1, ...: noted while anyone may care. */
  note(first: number, writes: ReadonlyArray<{ key: Uint8Array }>): void {
    if (this.#open.size === 0) return;
    this.#log.push({ first, keys: writes.map((w) => toHex(w.key)) });
  }

  /** The first write after `begin` to a key in `reads` or inside one of `ranges`, or undefined: no conflict. */
  validate(begin: number, reads: ReadonlySet<string>, ranges: readonly HexRange[]): TxnConflictFacts | undefined {
    for (const record of this.#log) {
      for (let i = 0; i < record.keys.length; i++) {
        const seq = record.first + i;
        if (seq <= begin) continue;
        const key = record.keys[i]!;
        if (reads.has(key)) return { key, seq };
        for (const range of ranges) {
          if ((range.start === null || key >= range.start) && (range.end === null || key < range.end)) {
            return { key, seq, range };
          }
        }
      }
    }
    return undefined;
  }
}

/** A transaction's private workspace: its writes, sorted by key; a delete is a tombstone (null). */
class Workspace {
  readonly keys: Uint8Array[] = [];
  readonly values: Array<Uint8Array | null> = [];

  get size(): number {
    return this.keys.length;
  }

  /** Where key is, or where it would go. */
  #find(key: Uint8Array): { at: number; found: boolean } {
    let low = 0;
    let high = this.keys.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const order = compareBytes(this.keys[mid]!, key);
      if (order === 0) return { at: mid, found: true };
      if (order < 0) low = mid + 1;
      else high = mid;
    }
    return { at: low, found: false };
  }

  /** The value, null for a tombstone, undefined when the workspace does not hold the key. */
  get(key: Uint8Array): Uint8Array | null | undefined {
    const { at, found } = this.#find(key);
    return found ? this.values[at]! : undefined;
  }

  set(key: Uint8Array, value: Uint8Array | null): void {
    const { at, found } = this.#find(key);
    if (found) {
      this.values[at] = value;
      return;
    }
    this.keys.splice(at, 0, key);
    this.values.splice(at, 0, value);
  }

  /** Its entries with start <= key < end, in key order (a copy: later writes do not change it). */
  range(start: Uint8Array | undefined, end: Uint8Array | undefined): Array<[Uint8Array, Uint8Array | null]> {
    const from = start ? this.#find(start).at : 0;
    const entries: Array<[Uint8Array, Uint8Array | null]> = [];
    for (let i = from; i < this.keys.length; i++) {
      if (end && compareBytes(this.keys[i]!, end) >= 0) break;
      entries.push([this.keys[i]!, this.values[i]!]);
    }
    return entries;
  }

  toBatch(): WriteBatch {
    const batch = new WriteBatch();
    for (let i = 0; i < this.keys.length; i++) {
      const value = this.values[i]!;
      if (value === null) batch.delete(this.keys[i]!);
      else batch.put(this.keys[i]!, value);
    }
    return batch;
  }
}

/** What a commit hands the tree: checked and written as one queued operation (LsmTree). */
export interface TxnCommit {
  id: number;
  begin: number;
  reads: ReadonlySet<string>;
  ranges: readonly HexRange[];
  /** Validate at all: false for snapshot isolation only. */
  serializable: boolean;
  /** The workspace as one batch; undefined when the transaction wrote nothing. */
  batch: WriteBatch | undefined;
}

/** @internal what a transaction needs of its tree: LsmTree passes it. */
export interface TxnHost {
  get(key: Uint8Array, snapshot: Snapshot): Promise<Uint8Array | undefined>;
  scan(range: { start?: Uint8Array; end?: Uint8Array; snapshot: Snapshot }): AsyncGenerator<[Uint8Array, Uint8Array]>;
  commit(commit: TxnCommit): Promise<void>;
  /** The transaction ended without writing (abort, or a commit that failed before the queue took it). */
  end(id: number, aborted: boolean): void;
  emit(body: EngineEventBody): void;
  /** Someone listens: events are worth making. */
  tracing(): boolean;
}

/**
 * A transaction (LsmTree.transaction()). Reads see the database as it was when it began, plus its own writes;
 * writes stay in its workspace until commit(). Once committed or aborted it refuses every call (TxnFinished).
 */
export class Transaction {
  /** Its id, as the events name it. */
  readonly id: number;
  /** The sequence number it reads at: its snapshot's. */
  readonly seq: number;
  readonly #host: TxnHost;
  readonly #snapshot: Snapshot;
  readonly #workspace = new Workspace();
  /** The keys it read from the database (hex): a later write to any of them makes its commit conflict. */
  readonly #reads = new Set<string>();
  /** The ranges it scanned: a later write to any key inside one makes its commit conflict (phantoms included). */
  readonly #ranges: HexRange[] = [];
  #state: 'open' | 'committed' | 'aborted' = 'open';
  /** Its commit validates its reads (the default); false: snapshot isolation only. */
  readonly serializable: boolean;

  /** @internal made by LsmTree.transaction */
  constructor(id: number, snapshot: Snapshot, host: TxnHost, serializable = true) {
    this.id = id;
    this.serializable = serializable;
    this.seq = snapshot.seq;
    this.#snapshot = snapshot;
    this.#host = host;
  }

  /** 'open', or how it ended. A commit refused or failed counts as aborted. */
  get state(): 'open' | 'committed' | 'aborted' {
    return this.#state;
  }

  /** Writes in its workspace (one per key). */
  get size(): number {
    return this.#workspace.size;
  }

  /** The value of key: its own write if it made one, else the database's at its snapshot. */
  async get(key: Uint8Array): Promise<Uint8Array | undefined> {
    this.#checkOpen();
    checkKey(key);
    const own = this.#workspace.get(key);
    // Its own write answers without reading the database: no other commit can change what it sees here.
    if (own !== undefined) return own === null ? undefined : own.slice();
    const hex = toHex(key);
    this.#reads.add(hex);
    if (this.#host.tracing()) this.#host.emit({ type: 'txn.read', txn: this.id, key: hex });
    return this.#host.get(key, this.#snapshot);
  }

  /**
   * Pairs with start <= key < end, in key order: its workspace merged over the database at its snapshot (its
   * puts win, its deletes hide). The whole range counts as read, even if the caller stops early.
   */
  async *scan(range: { start?: Uint8Array; end?: Uint8Array } = {}): AsyncGenerator<[Uint8Array, Uint8Array]> {
    this.#checkOpen();
    if (range.start !== undefined) checkKey(range.start);
    if (range.end !== undefined) checkKey(range.end);
    const scanned = { start: range.start ? toHex(range.start) : null, end: range.end ? toHex(range.end) : null };
    this.#ranges.push(scanned);
    if (this.#host.tracing()) this.#host.emit({ type: 'txn.read', txn: this.id, range: scanned });
    const own = this.#workspace.range(range.start, range.end);
    let next = 0;
    const base = this.#host.scan({
      ...(range.start ? { start: range.start } : {}),
      ...(range.end ? { end: range.end } : {}),
      snapshot: this.#snapshot,
    });
    for await (const [key, value] of base) {
      // Its own writes before this key come first; one of the same key replaces the database's.
      for (; next < own.length && compareBytes(own[next]![0], key) <= 0; next++) {
        const [ownKey, ownValue] = own[next]!;
        if (compareBytes(ownKey, key) === 0) break;
        if (ownValue !== null) yield [ownKey.slice(), ownValue.slice()];
      }
      if (next < own.length && compareBytes(own[next]![0], key) === 0) {
        const ownValue = own[next++]![1];
        if (ownValue !== null) yield [key, ownValue.slice()];
        continue;
      }
      yield [key, value];
    }
    for (; next < own.length; next++) {
      const [ownKey, ownValue] = own[next]!;
      if (ownValue !== null) yield [ownKey.slice(), ownValue.slice()];
    }
  }

  /** Puts into its workspace (key and value copied: the caller may reuse its buffers). */
  put(key: Uint8Array, value: Uint8Array): void {
    this.#checkOpen();
    checkKey(key);
    checkValue(value);
    this.#workspace.set(key.slice(), value.slice());
    this.#written('put', key, value);
  }

  /** A tombstone in its workspace: the key reads as absent here, and the commit deletes it. */
  delete(key: Uint8Array): void {
    this.#checkOpen();
    checkKey(key);
    this.#workspace.set(key.slice(), null);
    this.#written('delete', key, undefined);
  }

  /**
   * Validates and writes, as one: rejects with TxnConflictError (code TxnConflict), writing nothing, if a key it
   * read or a key in a range it scanned was written after it began; otherwise its workspace goes to the WAL as
   * one WriteBatch record and this resolves once that is durable (per `durability`). Either way it is finished.
   */
  async commit(): Promise<void> {
    this.#checkOpen();
    this.#state = 'committed';
    try {
      const batch = this.#workspace.size > 0 ? this.#workspace.toBatch() : undefined;
      const { id, seq: begin, serializable } = this;
      await this.#host.commit({ id, begin, serializable, reads: this.#reads, ranges: this.#ranges, batch });
    } catch (error) {
      this.#state = 'aborted';
      throw error;
    } finally {
      this.#snapshot.release();
    }
  }

  /** Drops the workspace and releases the snapshot. Nothing was written. Aborting twice is harmless. */
  abort(): void {
    if (this.#state !== 'open') return;
    this.#state = 'aborted';
    this.#snapshot.release();
    this.#host.end(this.id, true);
  }

  #checkOpen(): void {
    if (this.#state !== 'open') {
      throw new LsmError(ErrorCode.TxnFinished, `transaction ${this.id} is ${this.#state}: begin a new one`);
    }
  }

  #written(op: 'put' | 'delete', key: Uint8Array, value: Uint8Array | undefined): void {
    if (!this.#host.tracing()) return;
    this.#host.emit({
      type: 'txn.write',
      txn: this.id,
      op,
      key: toHex(key),
      value: value ? toHex(value) : null,
      workspace: this.#workspace.size,
    });
  }
}
