// A cache of data blocks already read, verified and indexed, as LevelDB's block cache: a hot key's block is
// read from storage and checksummed once, not on every get. Once the cache holds more than its budget of bytes,
// blocks not used lately go first: "second chance" (CLOCK), the approximation of least-recently-used that
// operating systems use for their page caches. A hit only marks its block as used; eviction walks from the
// oldest block, and a marked block loses its mark and moves to the young end instead of going. (An exact LRU
// would move every hit block in the Map, which costs more than the rest of a warm get.) Files are never modified and their numbers are never reused, so a cached
// block can never be stale.
//
// Blocks are keyed by their reader's id and their offset, packed into one number (id × 2^32 + offset): a Map
// with number keys is several times cheaper per lookup than one keyed by "file@offset" strings, and a warm get
// does one lookup per SSTable it reads.

const OFFSET_SPAN = 2 ** 32;

export class BlockCache<T = unknown> {
  readonly #budget: number;
  readonly #blocks = new Map<number, { value: T; bytes: number; used: boolean }>();
  #bytes = 0;

  constructor(budgetBytes: number) {
    this.#budget = budgetBytes;
  }

  /** Bytes held (as charged by set). */
  get bytes(): number {
    return this.#bytes;
  }

  get(owner: number, offset: number): T | undefined {
    const found = this.#blocks.get(owner * OFFSET_SPAN + offset);
    if (found === undefined) return undefined;
    found.used = true;
    return found.value;
  }

  set(owner: number, offset: number, bytes: number, value: T): void {
    if (this.#budget <= 0 || bytes > this.#budget) return;
    const key = owner * OFFSET_SPAN + offset;
    const old = this.#blocks.get(key);
    if (old) {
      this.#blocks.delete(key);
      this.#bytes -= old.bytes;
    }
    // Room first, then the new block (so the walk never reaches it). Map iteration is insertion order, oldest
    // first; re-inserting a block makes it the youngest. The walk ends: every block it passes over loses its
    // mark, so it goes the next time round.
    while (this.#bytes + bytes > this.#budget) {
      const [oldest, block] = this.#blocks.entries().next().value!;
      this.#blocks.delete(oldest);
      if (block.used) {
        block.used = false;
        this.#blocks.set(oldest, block);
      } else {
        this.#bytes -= block.bytes;
      }
    }
    this.#blocks.set(key, { value, bytes, used: false });
    this.#bytes += bytes;
  }

  /** Forgets an owner's blocks (a deleted file's: they would age out anyway; this frees the memory now). */
  forget(owner: number): void {
    for (const [key, block] of this.#blocks) {
      if (Math.floor(key / OFFSET_SPAN) === owner) {
        this.#blocks.delete(key);
        this.#bytes -= block.bytes;
      }
    }
  }
}
