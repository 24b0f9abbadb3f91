// A skip list ordered by unsigned bytes: LevelDB's memtable structure. Each node stands in a random
// number of "express lanes"; a search runs along the top lane and drops a lane whenever it would
// overshoot, so a lookup touches O(log n) nodes on average without any rebalancing.
import { compareBytes } from '../bytes';

const MAX_HEIGHT = 12;
/** A node reaches the next lane up with probability 1/4 (LevelDB's kBranching). */
const BRANCHING = 4;

interface Node<V> {
  key: Uint8Array;
  value: V;
  next: Array<Node<V> | undefined>;
}

export class SkipList<V> {
  readonly #head: Node<V> = { key: new Uint8Array(0), value: undefined as V, next: new Array(MAX_HEIGHT) };
  #height = 1;
  #size = 0;
  /** set()'s "last node before the key on each lane", reused: one array per insert was measurable garbage. */
  readonly #previous: Array<Node<V>> = new Array(MAX_HEIGHT);
  /** A fixed seed: the same inserts build the same list, which makes runs reproducible. */
  #random = 0x2545f491;

  get size(): number {
    return this.#size;
  }

  get(key: Uint8Array): V | undefined {
    const node = this.#findGreaterOrEqual(key, undefined);
    return node && compareBytes(node.key, key) === 0 ? node.value : undefined;
  }

  /**
   * How many lanes the node set() last inserted or updated stands in: the height of its tower, which the picture
   * draws (the events carry it, so the UI never guesses the list's shape).
   */
  lastHeight = 0;

  /** Inserts, or replaces the value of an equal key. Returns the value replaced, if any. */
  set(key: Uint8Array, value: V): V | undefined {
    const previous = this.#previous;
    const found = this.#findGreaterOrEqual(key, previous);
    if (found && compareBytes(found.key, key) === 0) {
      const old = found.value;
      found.value = value;
      this.lastHeight = found.next.length;
      return old;
    }
    const height = this.#randomHeight();
    if (height > this.#height) {
      for (let level = this.#height; level < height; level++) previous[level] = this.#head;
      this.#height = height;
    }
    const node: Node<V> = { key, value, next: new Array(height) };
    for (let level = 0; level < height; level++) {
      node.next[level] = previous[level]!.next[level];
      previous[level]!.next[level] = node;
    }
    this.#size++;
    this.lastHeight = height;
    return undefined;
  }

  /**
   * A list of these keys, which must be sorted, distinct, and the list empty: built front to back in one pass,
   * each node linked behind the last one on each of its lanes, without a single search. (Recovery sorts the
   * replayed log and loads it so: sorting is several times cheaper than as many searching inserts.)
   */
  load(keys: readonly Uint8Array[], values: readonly V[]): void {
    if (this.#size !== 0) throw new Error('load() fills an empty skip list');
    const tails: Array<Node<V>> = new Array(MAX_HEIGHT).fill(this.#head);
    for (let i = 0; i < keys.length; i++) {
      const height = this.#randomHeight();
      if (height > this.#height) this.#height = height;
      const node: Node<V> = { key: keys[i]!, value: values[i]!, next: new Array(height) };
      for (let level = 0; level < height; level++) {
        tails[level]!.next[level] = node;
        tails[level] = node;
      }
    }
    this.#size = keys.length;
  }

  /**
   * The search for `key` position by position, as the picture lights it: on each lane from the top, where it
   * stood (null: the head) and every node it moved right onto, then the node it arrived at (the first >= key).
   */
  searchPath(key: Uint8Array): Array<{ lane: number; key: Uint8Array | null }> {
    const path: Array<{ lane: number; key: Uint8Array | null }> = [];
    const arrived = this.#findGreaterOrEqual(key, undefined, path);
    if (arrived) path.push({ lane: 0, key: arrived.key });
    return path;
  }

  /** How many lanes the node of `key` stands in (0: no such key). */
  heightOf(key: Uint8Array): number {
    const node = this.#findGreaterOrEqual(key, undefined);
    return node && compareBytes(node.key, key) === 0 ? node.next.length : 0;
  }

  /** Entries with start <= key (< end when given), in order. */
  *range(start?: Uint8Array, end?: Uint8Array): Generator<[Uint8Array, V]> {
    let node = start ? this.#findGreaterOrEqual(start, undefined) : this.#head.next[0];
    while (node && (!end || compareBytes(node.key, end) < 0)) {
      yield [node.key, node.value];
      node = node.next[0];
    }
  }

  /**
   * The first node with key >= target; fills `previous[level]` with the last node before it on each lane, and
   * `path` (when given) with every position the search stood at.
   */
  #findGreaterOrEqual(
    target: Uint8Array,
    previous: Array<Node<V>> | undefined,
    path?: Array<{ lane: number; key: Uint8Array | null }>,
  ): Node<V> | undefined {
    let node = this.#head;
    for (let level = this.#height - 1; level >= 0; level--) {
      path?.push({ lane: level, key: node === this.#head ? null : node.key });
      for (;;) {
        const next = node.next[level];
        if (next && compareBytes(next.key, target) < 0) {
          node = next;
          path?.push({ lane: level, key: node.key });
        } else break;
      }
      if (previous) previous[level] = node;
    }
    return node.next[0];
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
