// A cache of data blocks already read, verified and indexed, as LevelDB's block cache: a hot key's block is
// read from storage and checksummed once, not on every get. Once the cache holds more than its budget of bytes,
// blocks not used lately go first: "second chance" (CLOCK), the approximation of least-recently-used that
// operating systems use for their page caches. A hit only marks its block as used. (An exact LRU would move
// every hit block to the front of a list, which costs more than the rest of a warm get.) Files are never
// modified and their numbers are never reused, so a cached block can never be stale.
//
// Blocks are found by their reader's id and their number in its file: each reader's blocks have an array of slots,
// indexed by block number. A Map keyed by "file@offset" strings, then by id × 2^32 + offset (a number, but not a
// small integer: every lookup boxed it and hashed it), cost a quarter of a get that hit, in the 1M-key benchmark.

/**
 * Buffers are handed out in sizes rounded up to this, so that blocks of one table size share a size class. The
 * cache is charged the whole buffer: at 1 KiB classes a 4,132-byte block took 5,120 bytes of its budget, and a
 * 32 MiB cache held a fifth fewer blocks than at 256-byte classes (4,352 bytes each).
 */
const BUFFER_CLASS = 256;
/** Free buffers kept per size class: enough for a burst of misses, never more than a few hundred KiB. */
const MAX_FREE = 64;
/** Once the cache is full, about one block read in this many is kept, drawn at random (see BlockCache.admits). */
export const ADMIT_WHEN_FULL_EVERY = 4;

/**
 * Buffers for the blocks point reads cache, recycled when the cache lets a block go. In a browser worker a fresh
 * 4 KiB ArrayBuffer costs several microseconds (allocation, zeroing, the garbage collector's accounting of memory
 * outside its heap): measured at 6 µs, more than reading the block from OPFS (2.3 µs) or checking its CRC.
 */
export class BufferPool {
  readonly #free = new Map<number, Uint8Array[]>();

  /** A buffer of at least `length` bytes (its first `length` are the caller's to fill). */
  lease(length: number): Uint8Array {
    const size = Math.ceil(length / BUFFER_CLASS) * BUFFER_CLASS;
    return this.#free.get(size)?.pop() ?? new Uint8Array(size);
  }

  /** Takes a leased buffer back, once nothing reads it any more. */
  give(buffer: Uint8Array): void {
    let list = this.#free.get(buffer.length);
    if (!list) {
      list = [];
      this.#free.set(buffer.length, list);
    }
    if (list.length < MAX_FREE) list.push(buffer);
  }
}

export class BlockCache<T = unknown> {
  readonly #budget: number;
  readonly #recycle: ((value: T) => void) | undefined;
  #bytes = 0;
  /** Buffers for the blocks this cache holds: a block let go hands its buffer back (through `recycle`). */
  readonly buffers = new BufferPool();
  // The clock: blocks sit in slots; a hit sets its slot's `used` mark; eviction sweeps the hand round the slots,
  // clearing marks, and takes the first unmarked block. Slots a block left are reused. (A Map in insertion
  // order as the clock, re-inserting marked blocks, was the first version: deleting its oldest entries leaves
  // holes that every later walk from the start has to skip, and with a cache of thousands of blocks under
  // random reads that cost more than the reads.)
  /** Per owner, for each block number, the block's slot + 1 (0: not cached). */
  readonly #slotsOf = new Map<number, Int32Array>();
  readonly #owners: number[] = [];
  readonly #blocks: number[] = [];
  readonly #values: Array<T | undefined> = [];
  readonly #sizes: number[] = [];
  readonly #used: boolean[] = [];
  readonly #emptySlots: number[] = [];
  #hand = 0;
  /** admits()'s coin: a seeded generator, so that a run is repeatable (see admits). */
  #coin = 0x9e3779b9;

  /** `recycle`: called with each block the cache lets go (evicted, replaced or forgotten), nothing else uses it. */
  constructor(budgetBytes: number, recycle?: (value: T, buffers: BufferPool) => void) {
    this.#budget = budgetBytes;
    this.#recycle = recycle && ((value) => recycle(value, this.buffers));
  }

  /** Whether a block of this many bytes would be kept (a caller can then read it into a pooled buffer). */
  accepts(bytes: number): boolean {
    return this.#budget > 0 && bytes <= this.#budget;
  }

  /**
   * Whether a point read should keep the block it just read (and read it into a pooled buffer for that): always
   * while there is room; once the cache is full, one block in ADMIT_WHEN_FULL_EVERY. When reads spread over
   * more blocks than the cache holds, the share of gets it answers is its share of the data whatever it admits,
   * and every block admitted costs an eviction and a read into a pooled buffer, cold in the CPU's caches (8 µs
   * against 4.6 µs into one reused buffer, over the 1M-key benchmark's tables). A block read again and again
   * still gets in within a few reads. The one in four is drawn at random, not every fourth: gets that each miss
   * the same number of blocks would otherwise always offer a given table's block at a turn that is never taken.
   */
  admits(bytes: number): boolean {
    if (!this.accepts(bytes)) return false;
    if (this.#bytes + bytes <= this.#budget) return true;
    this.#coin = (Math.imul(this.#coin, 1103515245) + 12345) >>> 0;
    return (this.#coin >>> 16) % ADMIT_WHEN_FULL_EVERY === 0;
  }

  /** Bytes held (as charged by set). */
  get bytes(): number {
    return this.#bytes;
  }

  /** Block number `block` of owner `owner`, if cached (and marks it used). */
  get(owner: number, block: number): T | undefined {
    const slot = (this.#slotsOf.get(owner)?.[block] ?? 0) - 1;
    if (slot < 0) return undefined;
    this.#used[slot] = true;
    return this.#values[slot];
  }

  set(owner: number, block: number, bytes: number, value: T): void {
    if (!this.accepts(bytes)) return;
    let slots = this.#slotsOf.get(owner);
    const old = (slots?.[block] ?? 0) - 1;
    if (old >= 0) this.#drop(old);
    while (this.#bytes + bytes > this.#budget) this.#evictOne();
    if (slots === undefined || block >= slots.length) {
      const grown = new Int32Array(Math.max(16, 2 * (slots?.length ?? 0), block + 1));
      if (slots) grown.set(slots);
      slots = grown;
      this.#slotsOf.set(owner, slots);
    }
    const slot = this.#emptySlots.pop() ?? this.#owners.length;
    this.#owners[slot] = owner;
    this.#blocks[slot] = block;
    this.#values[slot] = value;
    this.#sizes[slot] = bytes;
    this.#used[slot] = false;
    slots[block] = slot + 1;
    this.#bytes += bytes;
  }

  /** Forgets an owner's blocks (a deleted file's: they would age out anyway; this frees the memory now). */
  forget(owner: number): void {
    const slots = this.#slotsOf.get(owner);
    if (slots === undefined) return;
    for (const slot of slots) if (slot > 0) this.#drop(slot - 1);
    this.#slotsOf.delete(owner);
  }

  /** Sweeps the hand to the first block not used since the hand last passed it, and lets it go. */
  #evictOne(): void {
    for (;;) {
      if (this.#hand >= this.#owners.length) this.#hand = 0;
      const slot = this.#hand++;
      if (this.#values[slot] === undefined) continue;
      if (this.#used[slot]) {
        this.#used[slot] = false; // a second chance: it goes next time round unless used again by then
        continue;
      }
      this.#drop(slot);
      return;
    }
  }

  #drop(slot: number): void {
    const value = this.#values[slot]!;
    this.#slotsOf.get(this.#owners[slot]!)![this.#blocks[slot]!] = 0;
    this.#bytes -= this.#sizes[slot]!;
    this.#values[slot] = undefined;
    this.#emptySlots.push(slot);
    this.#recycle?.(value);
  }
}
