// A skip list ordered by unsigned bytes: LevelDB's memtable structure. Each node stands in a random
// number of "express lanes"; a search runs along the top lane and drops a lane whenever it would
// overshoot, so a lookup touches O(log n) nodes on average without any rebalancing.
//
// Like LevelDB's, whose nodes live in the memtable's arena, the nodes here are not objects: node i is the i-th
// slot of a few arrays (where its key lies, its value, its height) and its lanes are a run of integers in one
// Int32Array (the index of the next node on each lane, NIL at the end). A node as an object with an array of lanes
// was three objects per write for the garbage collector to trace and copy; recovery, which loads tens of thousands
// of them at once, spent more time in the collector than in the sort. A key is kept where it lies (KeysInPlace): a
// write's key is a view of its own, a replayed key a range of the log's bytes, with no view made for it.
import { compareRanges } from '../bytes';
import type { KeysInPlace } from './key-order';

const MAX_HEIGHT = 12;
/** A node reaches the next lane up with probability 1/4 (LevelDB's kBranching). */
const BRANCHING = 4;
/** No node: the end of a lane. */
const NIL = -1;
/** The head, before every node: its lanes are #headLanes. */
const HEAD = -2;

export class SkipList<V> {
  /** Node i's key is #keyBytes[i][#keyAt[i], #keyAt[i] + #keyLength[i]); its value is #values[i]. */
  #keyBytes: Uint8Array[] = [];
  #keyAt: Int32Array = new Int32Array(64);
  #keyLength: Int32Array = new Int32Array(64);
  #values: V[] = [];
  /** Node i's lanes are #lanes[#firstLane[i], #firstLane[i] + #heights[i]). */
  #firstLane = new Int32Array(64);
  #heights = new Uint8Array(64);
  #lanes = new Int32Array(128);
  #lanesUsed = 0;
  readonly #headLanes = new Int32Array(MAX_HEIGHT).fill(NIL);
  #height = 1;
  /** set()'s "last node before the key on each lane", reused. */
  readonly #previous = new Int32Array(MAX_HEIGHT);
  /**
   * The last node on each lane (HEAD: none yet). A key past every key in the list goes right behind them, with no
   * search: keys written in order (a log's timestamps, a bulk load, the batches of a sequential writer) cost one
   * comparison each instead of a walk down every lane. RocksDB's skip list keeps such a "splice" for the same reason.
   */
  readonly #tails = new Int32Array(MAX_HEIGHT).fill(HEAD);
  /** A fixed seed: the same inserts build the same list, which makes runs reproducible. */
  #random = 0x2545f491;

  get size(): number {
    return this.#values.length;
  }

  get(key: Uint8Array): V | undefined {
    const node = this.#findGreaterOrEqual(key, false);
    return node !== NIL && this.#compare(node, key) === 0 ? this.#values[node] : undefined;
  }

  /**
   * How many lanes the node set() last inserted or updated stands in: the height of its tower, which the picture
   * draws (the events carry it, so the UI never guesses the list's shape).
   */
  lastHeight = 0;

  /** Inserts, or replaces the value of an equal key. Returns the value replaced, if any. */
  set(key: Uint8Array, value: V): V | undefined {
    const previous = this.#previous;
    const last = this.#tails[0]!;
    if (last !== HEAD && this.#compare(last, key) < 0) {
      // Past the last key: the node before it on each lane is that lane's last.
      for (let level = 0; level < this.#height; level++) previous[level] = this.#tails[level]!;
    } else {
      const found = this.#findGreaterOrEqual(key, true);
      if (found !== NIL && this.#compare(found, key) === 0) {
        const old = this.#values[found];
        this.#values[found] = value;
        this.lastHeight = this.#heights[found]!;
        return old;
      }
    }
    const height = this.#randomHeight();
    if (height > this.#height) {
      for (let level = this.#height; level < height; level++) previous[level] = HEAD;
      this.#height = height;
    }
    const node = this.#newNode(key, 0, key.length, value, height);
    const at = this.#firstLane[node]!;
    for (let level = 0; level < height; level++) {
      const before = previous[level]!;
      const after = this.#next(before, level);
      this.#lanes[at + level] = after;
      this.#link(before, level, node);
      if (after === NIL) this.#tails[level] = node;
    }
    this.lastHeight = height;
    return undefined;
  }

  /**
   * A list of these keys, which must be sorted, distinct, and the list empty: built front to back in one pass,
   * each node linked behind the last one on each of its lanes, without a single search. (Recovery sorts the
   * replayed log and loads it so: sorting is several times cheaper than as many searching inserts.) The arrays
   * become the list's own (node i is key i and values[i]): the caller hands them over and keeps no use of them.
   */
  load(keys: KeysInPlace, values: V[]): void {
    if (this.size !== 0) throw new Error('load() fills an empty skip list');
    const n = values.length;
    if (keys.bytes.length !== n || keys.at.length !== n || keys.length.length !== n) {
      throw new Error('load() takes a key per value');
    }
    this.#keyBytes = keys.bytes;
    this.#keyAt = keys.at;
    this.#keyLength = keys.length;
    this.#values = values;
    this.#heights = new Uint8Array(n);
    this.#firstLane = new Int32Array(n);
    // A node stands in 4/3 lanes on average (BRANCHING 4): room for that many, grown only past it.
    this.#lanes = new Int32Array(Math.ceil((n * 4) / 3) + 4 * MAX_HEIGHT);
    const tails = this.#tails;
    for (let node = 0; node < n; node++) {
      const height = this.#randomHeight();
      if (height > this.#height) this.#height = height;
      this.#addLanes(node, height);
      for (let level = 0; level < height; level++) {
        this.#link(tails[level]!, level, node);
        tails[level] = node;
      }
    }
  }

  /**
   * The search for `key` position by position, as the picture lights it: on each lane from the top, where it
   * stood (null: the head) and every node it moved right onto, then the node it arrived at (the first >= key).
   */
  searchPath(key: Uint8Array): Array<{ lane: number; key: Uint8Array | null }> {
    const path: Array<{ lane: number; key: Uint8Array | null }> = [];
    const arrived = this.#findGreaterOrEqual(key, false, path);
    if (arrived !== NIL) path.push({ lane: 0, key: this.#keyOf(arrived) });
    return path;
  }

  /** How many lanes the node of `key` stands in (0: no such key). */
  heightOf(key: Uint8Array): number {
    const node = this.#findGreaterOrEqual(key, false);
    return node !== NIL && this.#compare(node, key) === 0 ? this.#heights[node]! : 0;
  }

  /** Entries with start <= key (< end when given), in order. */
  *range(start?: Uint8Array, end?: Uint8Array): Generator<[Uint8Array, V]> {
    let node = start ? this.#findGreaterOrEqual(start, false) : this.#headLanes[0]!;
    while (node !== NIL) {
      if (end && this.#compare(node, end) >= 0) return;
      yield [this.#keyOf(node), this.#values[node]!];
      node = this.#lanes[this.#firstLane[node]!]!;
    }
  }

  /**
   * The first node with key >= target (NIL: none); with `remember`, fills #previous[level] with the last node
   * before it on each lane, and `path` (when given) with every position the search stood at.
   */
  #findGreaterOrEqual(
    target: Uint8Array,
    remember: boolean,
    path?: Array<{ lane: number; key: Uint8Array | null }>,
  ): number {
    let node = HEAD;
    for (let level = this.#height - 1; level >= 0; level--) {
      path?.push({ lane: level, key: node === HEAD ? null : this.#keyOf(node) });
      for (;;) {
        const next = this.#next(node, level);
        if (next !== NIL && this.#compare(next, target) < 0) {
          node = next;
          path?.push({ lane: level, key: this.#keyOf(node) });
        } else break;
      }
      if (remember) this.#previous[level] = node;
    }
    return this.#next(node, 0);
  }

  #next(node: number, level: number): number {
    return node === HEAD ? this.#headLanes[level]! : this.#lanes[this.#firstLane[node]! + level]!;
  }

  #link(node: number, level: number, to: number): void {
    if (node === HEAD) this.#headLanes[level] = to;
    else this.#lanes[this.#firstLane[node]! + level] = to;
  }

  /** memcmp order of node's key and `key`. */
  #compare(node: number, key: Uint8Array): number {
    return compareRanges(this.#keyBytes[node]!, this.#keyAt[node]!, this.#keyLength[node]!, key, 0, key.length);
  }

  /** Node's key as a view (made here for a key kept in place in larger bytes). */
  #keyOf(node: number): Uint8Array {
    const bytes = this.#keyBytes[node]!;
    const at = this.#keyAt[node]!;
    const length = this.#keyLength[node]!;
    return at === 0 && length === bytes.length ? bytes : bytes.subarray(at, at + length);
  }

  /** A new node, its lanes all NIL; returns its index. */
  #newNode(bytes: Uint8Array, at: number, length: number, value: V, height: number): number {
    const node = this.#values.length;
    this.#keyBytes.push(bytes);
    this.#values.push(value);
    if (node >= this.#keyAt.length) {
      this.#keyAt = grown(this.#keyAt, node * 2);
      this.#keyLength = grown(this.#keyLength, node * 2);
    }
    if (node >= this.#heights.length) {
      this.#heights = grown(this.#heights, node * 2);
      this.#firstLane = grown(this.#firstLane, node * 2);
    }
    this.#keyAt[node] = at;
    this.#keyLength[node] = length;
    this.#addLanes(node, height);
    return node;
  }

  /** Gives node its `height` lanes, all NIL, at the end of #lanes. */
  #addLanes(node: number, height: number): void {
    if (this.#lanesUsed + height > this.#lanes.length) {
      this.#lanes = grown(this.#lanes, Math.max(this.#lanes.length * 2, this.#lanesUsed + height));
    }
    this.#heights[node] = height;
    this.#firstLane[node] = this.#lanesUsed;
    this.#lanes.fill(NIL, this.#lanesUsed, this.#lanesUsed + height);
    this.#lanesUsed += height;
  }

  #randomHeight(): number {
    let height = 1;
    while (height < MAX_HEIGHT && this.#nextRandom() % BRANCHING === 0) height++;
    return height;
  }

  /** xorshift32: small, fast, and deterministic. */
  #nextRandom(): number {
    let x = this.#random;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#random = x >>> 0;
    return this.#random;
  }
}

/** A copy of `array` in a new one of `length` elements. */
function grown<T extends Int32Array | Uint8Array>(array: T, length: number): T {
  const bigger = new (array.constructor as new (length: number) => T)(Math.max(64, length));
  bigger.set(array);
  return bigger;
}
